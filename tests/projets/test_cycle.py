"""The whole cycle through the services: dépôt, éligibilité, évaluation, séance, vote,
décision, convention, suivi (fiche in the organiser's plan), impact values, observatoire."""
import pytest

from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.plans.models import FicheAction, Plan
from tet.projets import appels, decision, evaluation, observatoire, suivi, transitions
from tests.projets.builders import candidature, monde, noter_tout


def test_cycle_complet(app, outbox):
    with app.app_context():
        m = monde()
        cand = candidature(m)
        assert cand.statut == "depose" and cand.deposee_le is not None
        assert any("déposé" in mail["subject"] for mail in outbox)
        org = m.organisateur_a()
        transitions.appliquer(org, cand, "declarer_eligible")
        noter_tout(m, cand, {0: [5, 5, 3, 3], 1: [3, 5, 3, 1]})
        transitions.appliquer(org, cand, "clore_evaluation")
        appels.avancer(org, m.appel)  # clos
        appels.ouvrir_seance(org, m.appel)
        for i in (0, 1):
            decision.voter(m.membre_a(i), cand, "pour")
        d = decision.decider(org, cand, "Projet structurant pour le territoire.")
        assert d.resultat == "retenu" and cand.statut == "retenu" and d.pour == 2
        transitions.appliquer(org, cand, "conventionner")
        transitions.appliquer(org, cand, "mettre_en_suivi")
        fiche = db.session.get(FicheAction, cand.fiche_id)
        plan = db.session.scalar(db.select(Plan).where(Plan.nom.like("Projets retenus%")))
        assert fiche.collectivite_id == m.cc.id and plan.collectivite_id == m.cc.id
        assert [a.nom for a in fiche.axes] == ["Mobilité durable"]
        definition = db.session.scalar(db.select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None)).limit(1))
        impact = suivi.ajouter_impact(org, cand, definition, 2025, "10")
        valeur = suivi.proposer_valeur(m.porteur_a(), impact, 2026, "resultat", "42,5")
        assert valeur.statut == "proposee" and not observatoire.impacts(m.cc.id)
        suivi.valider_valeur(org, valeur, True)
        (row,) = observatoire.impacts(m.cc.id)
        assert float(row[4]) == 42.5
        assert [p["titre"] for p in observatoire.projets(m.cc.id)] == ["Navette électrique"]
        # the SQL ranking gives the formula's figures (test_score: 67,5 ; 80 and 55)
        (rang,) = evaluation.classement(m.appel)
        assert rang.id == cand.id and rang.evaluateurs == 2
        assert (round(rang.score, 6), round(rang.ecart, 6)) == (67.5, 25)
        assert round(rang.variance, 6) == 12.5 ** 2
        assert evaluation.resultat(cand).global_ == pytest.approx(67.5)
