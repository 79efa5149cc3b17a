"""Formulaires des appels à projets."""
