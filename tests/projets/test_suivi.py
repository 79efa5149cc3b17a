"""Suivi: the holder proposes impact values, the organiser validates; the contextes of a
holder and of a committee member."""
import pytest

from tet.comptes.permissions import contextes_of
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets import suivi
from tet.projets.commun import Refus
from tet.projets.models import OrganisationMembre
from tests.projets.builders import candidature, monde, organisation, user
from tests.sql_spy import sql_sent


def test_valeurs_proposees_par_le_porteur_validees_par_l_organisateur(app):
    with app.app_context():
        m = monde()
        cand = candidature(m)
        definition = db.session.scalar(db.select(IndicateurDefinition).limit(1))
        org = m.organisateur_a()
        with pytest.raises(Refus, match="retenus"):
            suivi.ajouter_impact(org, cand, definition, 2025)
        cand.statut = "en_suivi"
        with pytest.raises(Refus, match="porteur et l'organisateur"):
            suivi.ajouter_impact(m.membre_a(0), cand, definition, 2025)
        impact = suivi.ajouter_impact(m.porteur_a(), cand, definition, 2025, "3,5")
        with pytest.raises(Refus, match="Seul le porteur"):
            suivi.proposer_valeur(org, impact, 2026, "objectif", "10")
        with pytest.raises(Refus, match="année"):
            suivi.proposer_valeur(m.porteur_a(), impact, 3000, "objectif", "10")
        row = suivi.proposer_valeur(m.porteur_a(), impact, 2026, "objectif", "10")
        with pytest.raises(Refus, match="organisateur"):
            suivi.valider_valeur(m.porteur_a(), row, True)
        suivi.valider_valeur(org, row, True)
        assert (row.statut, row.valeur_validee) == ("validee", 10)
        suivi.proposer_valeur(m.porteur_a(), impact, 2026, "objectif", "12")
        assert (row.statut, row.valeur, row.valeur_validee) == ("proposee", 12, 10)
        suivi.valider_valeur(org, row, False, "Chiffre non justifié.")
        assert (row.statut, row.valeur_validee) == ("refusee", 10)
        with pytest.raises(Refus, match="n'attend pas"):
            suivi.valider_valeur(org, row, True)


def test_contextes_porteur_et_comite(app):
    with app.app_context():
        m = monde(statut="brouillon")
        keys = [c.key for c in contextes_of(m.comite_users[0])]
        assert keys == []  # a draft call's committee does not sit yet
        m.appel.statut = "ouvert"
        db.session.flush()
        (c,) = contextes_of(m.comite_users[0])
        assert (c.kind, c.id, c.role) == ("comite", m.appel.id, "expert")
        (c,) = contextes_of(m.porteur)
        assert (c.kind, c.id, c.role, c.nom) == ("organisation", m.org.id, "admin",
                                                  "Association Test")
        a = m.porteur_a()
        assert a.organisation_id == m.org.id and a.collectivite_id is None
        assert a.niveau is None and not a.can_write_collectivite()
        assert [x.kind for x in contextes_of(user("admin.cc@tet.test"))] == ["collectivite"]


def test_contextes_en_trois_requetes_quel_que_soit_leur_nombre(app):
    with app.app_context():
        m = monde()
        for i in range(3):  # three organisations and one committee for the same person
            org, _ = organisation(f"Organisation {i}", f"autre{i}@tet.test")
            db.session.add(OrganisationMembre(user_id=m.comite_users[0].id,
                                              organisation_id=org.id))
        db.session.commit()
        user_id = m.comite_users[0].id
    with app.app_context():
        u = db.session.get(type(m.porteur), user_id)
        with sql_sent(app) as sent:
            found = contextes_of(u)
        assert len(found) == 4 and len(sent) == 3
