"""Appels à projets (design note: to be completed)."""
