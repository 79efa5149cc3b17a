"""Vues des indicateurs : catalogue, page d'un indicateur, saisie des valeurs, copie."""
