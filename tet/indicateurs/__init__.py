"""Indicateurs : référentiels, définitions d'indicateurs et valeurs annuelles."""
