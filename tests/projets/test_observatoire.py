"""The observatoire leaks nothing: not a confidential dossier, not a non-retained one, not a
field its holder kept private (a canary string planted everywhere it must not appear)."""
from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets import observatoire, suivi
from tests.projets.builders import VILLE_SIREN, candidature, monde

CANARI = "CANARI-7f3a"


def _retenue(m, titre, **champs):
    """A retained project (fields set directly: the dossier is locked once deposited)."""
    cand = candidature(m, titre)
    for key, value in champs.items():
        setattr(cand.dossier, key, value)
    cand.statut = "en_suivi"
    db.session.flush()
    return cand


def _tout(territoire):
    return repr([observatoire.projets(territoire), observatoire.par_axe(territoire),
                 observatoire.par_stade(territoire), observatoire.par_statut(territoire),
                 observatoire.par_departement(territoire), observatoire.impacts(territoire)])


def test_observatoire_ne_montre_que_le_public(app):
    with app.app_context():
        m = monde()
        visible = _retenue(m, "Projet public", description="Description publique",
                           objectifs=f"Objectifs privés {CANARI}",
                           champs_publics=["description"])
        secret = _retenue(m, f"Projet confidentiel {CANARI}", confidentiel=True,
                          description=CANARI, champs_publics=["description"])
        refuse = candidature(m, f"Projet non retenu {CANARI}")
        refuse.statut = "non_retenu"
        brouillon = candidature(m, f"Brouillon {CANARI}", deposer=False)
        definition = db.session.scalar(db.select(IndicateurDefinition).limit(1))
        org = m.organisateur_a()
        for cand, valeur in ((visible, "12"), (secret, "999")):
            impact = suivi.ajouter_impact(org, cand, definition, 2025)
            row = suivi.proposer_valeur(m.porteur_a(), impact, 2026, "resultat", valeur)
            suivi.valider_valeur(org, row, True)
        impact = suivi.ajouter_impact(org, visible, db.session.scalars(
            db.select(IndicateurDefinition).offset(1).limit(1)).one(), 2025)
        suivi.proposer_valeur(m.porteur_a(), impact, 2026, "resultat", "5")  # not validated
        for territoire in (None, m.cc.id):
            out = _tout(territoire)
            assert CANARI not in out and "Projet public" in out
            assert "Description publique" in out
        (p,) = observatoire.projets(None)
        assert p["id"] == visible.id and "objectifs" not in p and "budget_total" not in p
        (row,) = observatoire.impacts(None)
        assert float(row[4]) == 12 and row[5] == 1  # the confidential 999 is not summed
        for cand in (secret, refuse, brouillon):
            assert observatoire.projet(cand.id) is None
        assert observatoire.projet(visible.id)["titre"] == "Projet public"
        assert observatoire.par_departement(None) == {"67": 1}
        # another territory's observatoire is empty
        ville = db.session.scalar(db.select(Collectivite.id).where(
            Collectivite.siren == VILLE_SIREN))
        assert observatoire.projets(ville) == [] and observatoire.impacts(ville) == []
