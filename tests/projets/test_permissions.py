"""Who sees what (row filters in SQL): the holder its own dossiers and never the notes, the
committee the deposited candidatures and its own notes until the meeting, the organiser of
another territory nothing."""
import pytest
from sqlalchemy import select

from tet.comptes.permissions import policy_for
from tet.extensions import db
from tet.projets import appels, dossiers, messages, pieces, transitions
from tet.projets.commun import Refus
from tet.projets.models import (
    AppelAProjets,
    Candidature,
    Decision,
    Dossier,
    Evaluation,
    ImpactValeur,
    MembreComite,
    Message,
    Organisation,
    PieceJustificative,
)
from tests.projets.builders import PDF, acteur, candidature, monde, noter_tout, user


def _ids(a, model):
    return set(db.session.scalars(policy_for(model).scope(a, select(model.id))))


@pytest.fixture
def m(app):
    with app.app_context():
        m = monde()
        m.deposee = candidature(m, "Déposée")
        m.brouillon = candidature(m, "Brouillon", deposer=False)
        m.autre = candidature(m, "De l'autre", org=(m.autre_org, m.autre_porteur))
        org = m.organisateur_a()
        for cand in (m.deposee, m.autre):
            transitions.appliquer(org, cand, "declarer_eligible")
        noter_tout(m, m.deposee, {0: [5, 5, 5, 5], 1: [1, 1, 1, 1]})
        messages.envoyer(m.porteur_a(), m.deposee, "Bonjour, une question.")
        yield m


def test_porteur_ne_voit_que_son_organisation_et_jamais_les_notes(m):
    a = m.porteur_a()
    assert _ids(a, Candidature) == {m.deposee.id, m.brouillon.id}
    assert m.autre.dossier_id not in _ids(a, Dossier)
    assert _ids(a, Organisation) == {m.org.id}
    assert not policy_for(Dossier).visible(a, m.autre.dossier)
    assert _ids(a, Evaluation) == set()
    b = m.autre_porteur_a()
    assert _ids(b, Candidature) == {m.autre.id} and _ids(b, Message) == set()
    assert _ids(b, PieceJustificative).isdisjoint(_ids(a, PieceJustificative))


def test_membre_voit_les_deposees_et_ses_seules_notes_avant_la_seance(m):
    a = m.membre_a(0)
    assert _ids(a, Candidature) == {m.deposee.id, m.autre.id}  # not the draft
    mine = {e.id for e in db.session.scalars(select(Evaluation).where(
        Evaluation.membre_id == m.membres[0].id))}
    assert _ids(a, Evaluation) == mine and len(mine) == 4
    assert _ids(a, Message) == set()  # the thread is the holder's and the organiser's
    assert _ids(a, MembreComite) == set()
    assert _ids(m.organisateur_a(), Evaluation) == set()  # nobody reads notes before
    org = m.organisateur_a()
    appels.avancer(org, m.appel)
    appels.ouvrir_seance(org, m.appel)
    assert len(_ids(a, Evaluation)) == 8 and len(_ids(org, Evaluation)) == 8
    assert _ids(m.porteur_a(), Evaluation) == set()


def test_non_eligible_et_renvoyee_sortent_de_la_vue_du_comite(m):
    autre = (m.autre_org, m.autre_porteur)
    hors, renvoyee = candidature(m, "Hors sujet", org=autre), candidature(m, "À revoir", org=autre)
    assert {hors.id, renvoyee.id} <= _ids(m.membre_a(0), Candidature)
    transitions.appliquer(m.organisateur_a(), hors, "declarer_non_eligible", "Hors sujet.")
    transitions.appliquer(m.organisateur_a(), renvoyee, "renvoyer", "Pièce illisible.")
    assert _ids(m.membre_a(0), Candidature) == {m.deposee.id, m.autre.id}
    # sent back, a draft again: still in the organiser's sight, still out of the holder's
    # competitors' and of the committee's
    assert renvoyee.id in _ids(m.organisateur_a(), Candidature)
    assert m.brouillon.id not in _ids(m.organisateur_a(), Candidature)  # never deposited


def test_organisateur_d_un_autre_territoire_ne_voit_rien(m):
    a = acteur(user("admin.ville@tet.test"))
    for model in (AppelAProjets, Candidature, Dossier, Evaluation, Organisation, Message,
                  PieceJustificative, MembreComite, Decision, ImpactValeur):
        assert _ids(a, model) == set(), model
    org = m.organisateur_a()
    assert _ids(org, Candidature) == {m.deposee.id, m.autre.id}
    assert m.brouillon.dossier_id not in _ids(org, Dossier)


def test_un_dossier_depose_n_est_plus_modifiable_par_son_porteur(m):
    a = m.porteur_a()
    with pytest.raises(Refus, match="plus modifiable par le porteur"):
        dossiers.modifier_candidature(a, m.deposee, {"motivation": "Changée"})
    with pytest.raises(Refus, match="instruction"):
        dossiers.modifier(a, m.deposee.dossier, {"titre": "Changé"})
    with pytest.raises(Refus, match="déposée"):
        import io
        pieces.ajouter(a, m.deposee.dossier, io.BytesIO(PDF), "autre.pdf", m.piece)
    with pytest.raises(Refus, match="Seul le porteur"):
        dossiers.modifier(m.autre_porteur_a(), m.brouillon.dossier, {"titre": "Volé"})
    dossiers.modifier_candidature(a, m.brouillon, {"motivation": "Toujours modifiable"})


def test_policies_refusent_l_ecriture_hors_services(m):
    for model in (Candidature, Evaluation, Decision):
        assert not policy_for(model).can_delete(m.porteur_a(), None)
    assert policy_for(Candidature).can_edit(m.porteur_a(), m.brouillon)
    assert not policy_for(Candidature).can_edit(m.porteur_a(), m.deposee)
    assert not policy_for(AppelAProjets).can_edit(acteur(user("admin.ville@tet.test")), m.appel)
    assert not policy_for(AppelAProjets).can_edit(m.organisateur_a("lecture.cc@tet.test"),
                                                  m.appel)
    assert policy_for(AppelAProjets).can_edit(m.organisateur_a("edition.cc@tet.test"), m.appel)
    for a in (m.porteur_a(), m.membre_a(0), m.organisateur_a("lecture.cc@tet.test")):
        assert not policy_for(AppelAProjets).can_delete(a, None)
        assert not policy_for(AppelAProjets).can_create(a)
    assert not policy_for(AppelAProjets).can_delete(m.organisateur_a(), m.appel)  # ouvert
    from tet.projets.models import OrganisationMembre

    seat = m.org.membres[0]
    assert policy_for(OrganisationMembre).can_edit(m.porteur_a(), seat)
    assert not policy_for(OrganisationMembre).can_edit(m.autre_porteur_a(), seat)
    assert not policy_for(Organisation).can_edit(m.autre_porteur_a(), m.org)


def test_le_journal_de_l_organisateur_ne_montre_ni_notes_ni_brouillons(m):
    from tet.comptes.journal import AuditLog

    def entries(a):
        return set(db.session.execute(policy_for(AuditLog).scope(
            a, select(AuditLog.object_type, AuditLog.object_id))).all())

    org = entries(m.organisateur_a())
    assert ("Candidature", m.deposee.id) in org  # its deposit
    assert ("Candidature", m.brouillon.id) not in org
    assert not any(t in ("Evaluation", "Vote") for t, _ in org)
    assert any(t == "Evaluation" for t, _ in entries(acteur(user("support@tet.test"))))


def test_score_et_classement_selon_la_seance(m):
    from tet.projets import evaluation

    membre, autre_membre = m.membre_a(0), m.membre_a(1)
    assert evaluation.resultat_pour(membre, m.deposee).par_membre.keys() == {m.membres[0].id}
    assert evaluation.resultat_pour(m.porteur_a(), m.deposee) is None
    assert evaluation.resultat_pour(m.organisateur_a(), m.deposee) is None
    for a in (membre, m.organisateur_a(), m.porteur_a()):
        with pytest.raises(Refus, match="séance"):
            evaluation.classement_pour(a, m.appel)
    appels.ouvrir_seance(m.organisateur_a(), m.appel)
    assert len(evaluation.resultat_pour(autre_membre, m.deposee).par_membre) == 2
    assert evaluation.classement_pour(m.organisateur_a(), m.appel)
    with pytest.raises(Refus):
        evaluation.classement_pour(m.porteur_a(), m.appel)
    assert evaluation.resultat_pour(acteur(user("admin.ville@tet.test")), m.deposee) is None


def test_reglages_modifiables_en_brouillon_seulement(m):
    from tet.models import AxeAppel, Critere, Etape

    org, lecture = m.organisateur_a(), m.organisateur_a("lecture.cc@tet.test")
    assert not policy_for(AxeAppel).can_edit(org, m.axe)  # the call is open
    assert not policy_for(Critere).can_edit(org, m.criteres[0])
    assert policy_for(Etape).can_edit(org, m.appel.etapes[0])  # dates move until decided
    m.appel.statut = "brouillon"
    assert policy_for(AxeAppel).can_edit(org, m.axe)
    assert policy_for(Critere).can_delete(org, m.criteres[0])
    for a in (lecture, m.porteur_a(), m.membre_a(0), acteur(user("admin.ville@tet.test"))):
        assert not policy_for(AxeAppel).can_edit(a, m.axe)
        assert not policy_for(Critere).can_edit(a, m.criteres[0])
    assert not policy_for(MembreComite).can_edit(org, m.membres[0])
