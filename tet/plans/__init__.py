"""Plans d'action : plans, axes (un arbre), fiches action, import / export, tableaux de bord."""
