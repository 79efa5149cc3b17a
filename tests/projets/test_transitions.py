"""Every transition by every role: allowed for its role only, refused with a clear French
message for the others; preconditions (pièces, deadline, quorum…)."""
from datetime import date, timedelta

import pytest

from tet.extensions import db
from tet.projets import appels, decision, transitions
from tet.projets.commun import Refus
from tests.projets.builders import acteur, candidature, monde, noter_tout, user

PORTEUR, ORGANISATEUR = "porteur", "organisateur"


def _roles(m):
    return {
        "porteur": m.porteur_a(), "autre_porteur": m.autre_porteur_a(),
        "admin_cc": m.organisateur_a(), "edition_cc": m.organisateur_a("edition.cc@tet.test"),
        "lecture_cc": m.organisateur_a("lecture.cc@tet.test"),
        "autre_territoire": acteur(user("admin.ville@tet.test")),
        "membre_comite": m.membre_a(0), "support": acteur(user("support@tet.test")),
    }


AUTORISES = {PORTEUR: {"porteur"}, ORGANISATEUR: {"admin_cc", "edition_cc", "support"}}


def _essayer(m, roles, cand, nom, motif="Motif détaillé."):
    role = transitions.TRANSITIONS[nom].role
    for qui, a in roles.items():
        if qui in AUTORISES[role]:
            continue
        with pytest.raises(Refus, match="^Seul"):
            transitions.appliquer(a, cand, nom, motif)
        assert cand.statut == transitions.TRANSITIONS[nom].depuis, (qui, nom)
        assert nom not in [t.nom for t in transitions.possibles(a, cand)], qui
    allowed = roles["porteur"] if role == PORTEUR else roles["edition_cc"]
    assert nom in [t.nom for t in transitions.possibles(allowed, cand)]
    transitions.appliquer(allowed, cand, nom, motif)
    assert cand.statut == transitions.TRANSITIONS[nom].vers


def test_chaque_transition_n_est_permise_qu_a_son_role(app, outbox):
    with app.app_context():
        m = monde()
        roles = _roles(m)
        cand = candidature(m, deposer=False)
        for nom in ("deposer", "renvoyer", "deposer", "declarer_eligible"):
            _essayer(m, roles, cand, nom)
        noter_tout(m, cand, {0: [5, 5, 5, 5], 1: [5, 3, 3, 3]})
        _essayer(m, roles, cand, "clore_evaluation")
        appels.avancer(roles["admin_cc"], m.appel)
        appels.ouvrir_seance(roles["admin_cc"], m.appel)
        for i in (0, 1, 2):
            decision.voter(m.membre_a(i), cand, "pour")
        decision.decider(roles["admin_cc"], cand, "Excellent projet.")
        for nom in ("conventionner", "mettre_en_suivi"):
            _essayer(m, roles, cand, nom)
        # the holder was told of every step, by e-mail
        sujets = [mail["subject"] for mail in outbox if "porteur.test@tet.test" in mail["to"]]
        assert len(sujets) == 8 and "renvoyer au porteur" in sujets[1]


def test_non_eligible_demande_un_motif_envoye_au_porteur(app, outbox):
    with app.app_context():
        m = monde()
        cand = candidature(m)
        with pytest.raises(Refus, match="motif"):
            transitions.appliquer(m.organisateur_a(), cand, "declarer_non_eligible", "  ")
        transitions.appliquer(m.organisateur_a(), cand, "declarer_non_eligible",
                              "Le projet est hors du territoire.")
        assert cand.motif_eligibilite == "Le projet est hors du territoire."
        assert "hors du territoire" in outbox[-1]["body"]


def test_depot_refuse_sans_pieces_obligatoires_ni_axe_ni_description(app):
    with app.app_context():
        from tet.projets import dossiers

        m = monde()
        a = m.porteur_a()
        dossier = dossiers.creer(a, {"titre": "Sans pièces"})
        cand = dossiers.candidater(a, dossier, m.appel)
        with pytest.raises(Refus, match="Décrivez"):
            transitions.appliquer(a, cand, "deposer")
        dossiers.modifier(a, dossier, {"description": "Un projet."})
        with pytest.raises(Refus, match="axe"):
            transitions.appliquer(a, cand, "deposer")
        dossiers.modifier_candidature(a, cand, {"axe_id": m.axe.id})
        with pytest.raises(Refus, match="Pièces obligatoires manquantes : « Budget prévisionnel »"):
            transitions.appliquer(a, cand, "deposer")
        assert cand.statut == "brouillon"


def test_depot_refuse_apres_la_date_limite_ou_appel_clos(app):
    with app.app_context():
        m = monde()
        cand = candidature(m, deposer=False)
        depot = m.appel.etapes[0]
        depot.date_fin = date.today() - timedelta(days=1)
        with pytest.raises(Refus, match="date limite"):
            transitions.appliquer(m.porteur_a(), cand, "deposer")
        depot.date_fin = None
        m.appel.statut = "clos"
        with pytest.raises(Refus, match="pas ouvert"):
            transitions.appliquer(m.porteur_a(), cand, "deposer")


def test_evaluation_close_seulement_au_quorum_et_statut_verifie(app):
    with app.app_context():
        m = monde()
        cand = candidature(m)
        org = m.organisateur_a()
        with pytest.raises(Refus, match="devrait être « éligible »"):
            transitions.appliquer(org, cand, "clore_evaluation")
        transitions.appliquer(org, cand, "declarer_eligible")
        noter_tout(m, cand, {0: [5, 5, 5, 5], 1: [5, 5, 5]})  # one complete member of 3
        with pytest.raises(Refus, match="1 membre sur 3 a noté"):
            transitions.appliquer(org, cand, "clore_evaluation")
        noter_tout(m, cand, {1: [5, 5, 5, 1]})  # two of three: more than half
        transitions.appliquer(org, cand, "clore_evaluation")


def test_version_perimee_refusee(app):
    with app.app_context():
        from tet.verrous import Perime

        m = monde()
        cand = candidature(m)
        with pytest.raises(Perime):
            transitions.appliquer(m.organisateur_a(), cand, "declarer_eligible",
                                  version=cand.version - 1)
        db.session.rollback()
