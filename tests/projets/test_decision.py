"""Co-décision: votes during the meeting, quorum, majority; nobody on the committee decides
alone."""
import pytest

from tet.projets import appels, decision, transitions
from tet.projets.commun import Refus
from tests.projets.builders import candidature, monde, noter_tout


def _evaluee(m):
    cand = candidature(m)
    org = m.organisateur_a()
    transitions.appliquer(org, cand, "declarer_eligible")
    noter_tout(m, cand, {0: [5, 5, 5, 5], 1: [3, 3, 3, 3], 2: [1, 1, 1, 1]})
    transitions.appliquer(org, cand, "clore_evaluation")
    return cand


def _en_seance():
    """An evaluated candidature, dépôts closed, the committee's meeting open."""
    m = monde()
    cand = _evaluee(m)
    org = m.organisateur_a()
    appels.avancer(org, m.appel)
    appels.ouvrir_seance(org, m.appel)
    return m, cand, org


def test_vote_et_decision_seulement_en_seance(app):
    with app.app_context():
        m = monde()
        cand = _evaluee(m)
        with pytest.raises(Refus, match="séance"):
            decision.voter(m.membre_a(0), cand, "pour")
        with pytest.raises(Refus, match="séance"):
            decision.decider(m.organisateur_a(), cand, "Motif.")
        m.appel.statut = "brouillon"
        with pytest.raises(Refus, match="pendant l'appel"):
            appels.ouvrir_seance(m.organisateur_a(), m.appel)
        m.appel.statut = "ouvert"  # a call open all year holds its meetings too
        with pytest.raises(Refus, match="organisateur"):
            appels.ouvrir_seance(m.membre_a(0), m.appel)
        appels.ouvrir_seance(m.organisateur_a(), m.appel)
        decision.voter(m.membre_a(0), cand, "pour")
        with pytest.raises(Refus, match="membres du comité"):
            decision.voter(m.porteur_a(), cand, "pour")
        with pytest.raises(Refus, match="pour, contre ou abstention"):
            decision.voter(m.membre_a(1), cand, "peut-être")
        appels.ouvrir_seance(m.organisateur_a(), m.appel, ouverte=False)
        with pytest.raises(Refus, match="séance"):
            decision.voter(m.membre_a(1), cand, "pour")


def test_un_membre_ne_decide_pas_seul_quorum_et_majorite(app):
    with app.app_context():
        m, cand, org = _en_seance()
        decision.voter(m.membre_a(0), cand, "pour")
        with pytest.raises(Refus, match="ne décide pas seul"):
            decision.decider(m.membre_a(0), cand, "Je décide.")
        with pytest.raises(Refus, match="Quorum non atteint : 1 vote pour 3 membres"):
            decision.decider(org, cand, "Motif.")
        decision.voter(m.membre_a(1), cand, "contre")
        decision.voter(m.membre_a(2), cand, "abstention")
        d = decision.decider(org, cand, "Partage des voix : pas de majorité.")
        # 1 pour of 3 votes cast: not more than half → non retenu
        assert (d.resultat, d.pour, d.contre, d.abstention, d.membres, d.quorum_atteint) == (
            "non_retenu", 1, 1, 1, 3, True)
        assert cand.statut == "non_retenu"
        with pytest.raises(Refus, match="devrait être « évalué »"):
            decision.decider(org, cand, "Encore.")


def test_majorite_des_votes_exprimes(app):
    with app.app_context():
        m, cand, org = _en_seance()
        decision.voter(m.membre_a(0), cand, "contre")
        decision.voter(m.membre_a(0), cand, "pour")  # a member may change its vote
        decision.voter(m.membre_a(1), cand, "pour")
        d = decision.decider(org, cand, "Retenu à l'unanimité des votants.")
        assert (d.resultat, d.pour, d.membres) == ("retenu", 2, 3)


def test_decompte_regle_documentee():
    d = decision.Decompte(membres=1, pour=1)
    assert not d.quorum  # a committee of one never decides
    d = decision.Decompte(membres=4, pour=1, contre=1)
    assert not d.quorum  # exactly half voted
    d = decision.Decompte(membres=4, pour=2, contre=1)
    assert d.quorum and d.resultat == "retenu"
    d = decision.Decompte(membres=4, pour=2, abstention=2)
    assert d.resultat == "non_retenu"  # 2 of 4 cast is not more than half
