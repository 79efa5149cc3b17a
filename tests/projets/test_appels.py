"""Calls: settings checked before opening, statut, copy for the next year, the committee's
invitations."""
from datetime import date

import pytest
from sqlalchemy import func, select

from tet.extensions import db
from tet.projets import appels, comite
from tet.projets.commun import Refus
from tet.projets.models import Candidature, MembreComite
from tests.projets.builders import acteur, candidature, monde, user


def test_ouverture_refusee_tant_que_les_poids_ne_totalisent_pas_100(app):
    with app.app_context():
        m = monde(statut="brouillon")
        m.opportunite.poids = 50
        m.faisabilite.criteres[0].poids = 40
        with pytest.raises(Refus) as refus:
            appels.avancer(m.organisateur_a(), m.appel)
        assert "poids des matrices" in str(refus.value)
        assert "critères de « Faisabilité »" in str(refus.value)
        m.opportunite.poids, m.faisabilite.criteres[0].poids = 60, 50
        appels.avancer(m.organisateur_a(), m.appel)
        assert m.appel.statut == "ouvert"


def test_creation_par_l_organisateur_seulement(app):
    with app.app_context():
        m = monde()
        a = appels.creer(m.organisateur_a("edition.cc@tet.test"), "Appel 2027", 2027, m.cc.id)
        assert a.statut == "brouillon" and a.territoire == [m.cc]
        with pytest.raises(Refus):
            appels.creer(m.organisateur_a("lecture.cc@tet.test"), "Appel", 2027, m.cc.id)
        with pytest.raises(Refus):
            appels.creer(acteur(user("admin.ville@tet.test")), "Appel", 2027, m.cc.id)
        with pytest.raises(Refus):  # a national call is the support's
            appels.creer(m.organisateur_a(), "Appel national", 2027, None)
        assert appels.creer(acteur(user("support@tet.test")), "National", 2027, None).national


def test_decide_seulement_quand_plus_rien_n_attend(app):
    with app.app_context():
        m = monde()
        candidature(m)
        org = m.organisateur_a()
        appels.avancer(org, m.appel)
        with pytest.raises(Refus, match="1 dossier attend encore"):
            appels.avancer(org, m.appel)


def test_copie_pour_l_annee_suivante(app):
    with app.app_context():
        m = monde()
        candidature(m)
        m.appel.etapes[0].date_debut = date(2026, 2, 1)
        m.appel.etapes[0].date_fin = date(2026, 3, 31)
        copie = appels.copier(m.organisateur_a(), m.appel)
        assert (copie.titre, copie.annee, copie.statut) == ("Appel test 2027", 2027, "brouillon")
        assert copie.copied_from_id == m.appel.id and copie.territoire == [m.cc]
        assert [x.nom for x in copie.axes] == ["Mobilité durable"]
        assert [(mat.nom, mat.poids) for mat in copie.matrices] == [("Opportunité", 60),
                                                                   ("Faisabilité", 40)]
        crit = copie.matrices[0].criteres[0]
        assert crit.libelle == "Priorité politique" and crit.axe is copie.axes[0]
        assert crit.axe_id != m.axe.id
        assert [p.libelle for p in copie.pieces] == ["Budget prévisionnel"]
        assert (copie.etapes[0].date_debut, copie.etapes[0].date_fin) == (
            date(2027, 2, 1), date(2027, 3, 31))
        assert len(copie.comite) == 3
        assert db.session.scalar(select(func.count(Candidature.id)).where(
            Candidature.appel_id == copie.id)) == 0
        with pytest.raises(Refus):
            appels.copier(m.membre_a(0), m.appel)


def test_invitation_d_un_expert_par_jeton_signe(app, outbox):
    with app.app_context():
        from tests import builders

        m = monde()
        org = m.organisateur_a()
        membre = comite.ajouter(org, m.appel, "expert", email="Experte@Exemple.test")
        assert membre.user_id is None and membre.email == "experte@exemple.test"
        assert "Invitation au comité" in outbox[-1]["subject"]
        assert "choisissez d'abord votre mot de passe" in outbox[-1]["body"]
        jeton = comite.jeton(membre)
        intrus = builders.user("intrus@tet.test")
        with pytest.raises(Refus, match="autre adresse"):
            comite.accepter(jeton, intrus)
        with pytest.raises(Refus, match="pas valide"):
            comite.accepter(jeton + "x", intrus)
        experte = user("experte@exemple.test")
        from tet.colonnes import utcnow

        experte.email_verifie_le = utcnow()
        comite.accepter(jeton, experte)
        assert membre.user_id == experte.id
        with pytest.raises(Refus, match="plus valide"):
            comite.accepter(jeton, experte)
        with pytest.raises(Refus, match="déjà"):
            comite.ajouter(org, m.appel, "expert", user=experte)
        with pytest.raises(Refus, match="organisateur"):
            comite.ajouter(m.porteur_a(), m.appel, "expert", email="x@exemple.test")
        # a proven account is seated at once
        seated = comite.ajouter(org, m.appel, "partenaire", email="admin.ville@tet.test")
        assert seated.user_id == user("admin.ville@tet.test").id
        assert db.session.scalar(select(func.count(MembreComite.id)).where(
            MembreComite.appel_id == m.appel.id)) == 5


def test_modification_des_champs_de_l_appel(app):
    with app.app_context():
        m = monde(statut="brouillon")
        org = m.organisateur_a()
        appels.modifier(org, m.appel, {"titre": " Nouveau titre ", "options_notes": "0 / 2 / 4",
                                       "territoire": [m.cc.id]})
        assert (m.appel.titre, m.appel.options_notes) == ("Nouveau titre", [0, 2, 4])
        for mauvais in ("1", "a / b", "1 / 300"):
            with pytest.raises(Refus, match="options"):
                appels.modifier(org, m.appel, {"options_notes": mauvais})
        with pytest.raises(Refus, match="organisateur"):
            appels.modifier(m.organisateur_a("lecture.cc@tet.test"), m.appel, {"titre": "X"})
        m.appel.statut = "ouvert"
        with pytest.raises(Refus, match="ne changent plus"):
            appels.modifier(org, m.appel, {"options_notes": "1 / 3 / 5"})
