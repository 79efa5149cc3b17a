"""Vues des comptes : connexion, inscription, utilisateurs, OPSN, demandes, journal."""
