"""Vues des plans d'action : plans et arbre, fiches, import, tableaux de bord."""
