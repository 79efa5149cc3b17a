"""Questionnaire de maturité : référentiel versionné, réponses, indice, benchmark, recommandations."""
