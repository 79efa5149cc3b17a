"""Vues du questionnaire de maturité : réponses, pilotage OPSN et national, référentiel."""
