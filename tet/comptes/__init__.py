"""Comptes : collectivités, utilisateurs, OPSN, rattachements, demandes, journal d'audit et le cœur des permissions, sous tous les autres domaines."""
