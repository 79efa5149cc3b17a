"""The national catalogue holds the PCAET's regulatory indicators (décret n° 2016-849,
arrêté du 4 août 2016) by family, secteur, vecteur and filière, each with its unit, source
and référentiel actions; a second load updates rows in place; the catalogue pages show it."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from seeds.referentiels import load_referentiels
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition

GES, NRJ, ENR, SEQ, POL = ("Émissions de gaz à effet de serre", "Consommation d'énergie finale",
                           "Production d'énergies renouvelables", "Séquestration de carbone",
                           "Polluants atmosphériques")
SECTEURS = {"Résidentiel", "Tertiaire", "Transport routier", "Autres transports", "Agriculture",
            "Déchets", "Industrie hors branche énergie", "Branche énergie"}
# the 46 identifiants of the first catalogue (fiches and values point to them)
ANCIENS = ([f"cae_{n}.{c}" for n, letters in ((1, "abcdefg"), (2, "abcdefg"), (3, "abcdefg"),
                                               (4, "abcd"), (5, "abcde"), (6, "abcde"),
                                               (7, "ab")) for c in letters]
           + [f"eci_{n}" for n in range(1, 10)])


def _catalogue() -> list[IndicateurDefinition]:
    return list(db.session.scalars(select(IndicateurDefinition).where(
        IndicateurDefinition.collectivite_id.is_(None))
        .options(selectinload(IndicateurDefinition.actions))))


def test_catalogue_has_the_pcaet_families(app):
    with app.app_context():
        rows = _catalogue()
        by_id = {d.identifiant: d for d in rows}
        assert set(ANCIENS) <= set(by_id)

        def of(famille, attr):
            return {getattr(d, attr) for d in rows if d.famille == famille and d.reglementaire}

        assert of(GES, "secteur") >= SECTEURS and of(NRJ, "secteur") >= SECTEURS
        assert of(NRJ, "vecteur") >= {"Électricité", "Gaz naturel", "Produits pétroliers",
                                      "Bois-énergie (biomasse solide)",
                                      "Chaleur et froid issus de réseaux"}
        assert of(ENR, "filiere") >= {
            "Éolien terrestre", "Solaire photovoltaïque", "Solaire thermique", "Hydraulique",
            "Biomasse solide", "Biogaz", "Géothermie", "Pompes à chaleur",
            "Valorisation des déchets"}
        assert of(SEQ, "secteur") >= {"Forêts", "Cultures et prairies", "Produits bois"}
        polluants = " ".join(d.nom for d in rows if d.famille == POL)
        for polluant in ("NOx", "PM10", "PM2,5", "COVNM", "SO2", "NH3"):
            assert polluant in polluants
        for d in rows:
            if d.reglementaire:
                assert d.unite and d.source and d.actions and d.famille, d.identifiant
        assert by_id["cae_1.a"].unite == "kteqCO2" and by_id["cae_2.a"].unite == "GWh"


def test_second_load_updates_rows_in_place(app):
    with app.app_context():
        cae = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.identifiant == "cae_1.b"))
        cae.source, cae.famille, cae.secteur, cae.reglementaire = "autre", None, None, False
        cae.actions = []
        db.session.commit()
        count = db.session.scalar(select(func.count(IndicateurDefinition.id)))
        assert load_referentiels() == {"actions": 0, "indicateurs": 0}
        assert db.session.scalar(select(func.count(IndicateurDefinition.id))) == count
        db.session.refresh(cae)
        assert (cae.famille, cae.secteur, cae.reglementaire) == (GES, "Résidentiel", True)
        assert "ATMO Grand Est" in cae.source and cae.actions


def test_catalogue_pages_show_family_detail_and_source(app, login_as):
    client = login_as("lecture_cc")
    page = client.get("/admin/indicateur/?flt0_0=" + SEQ).get_data(as_text=True)
    listing = client.get("/admin/indicateur/?search=cae_3.h").get_data(as_text=True)
    assert "Production d&#39;électricité éolienne" in listing
    assert "Filière : Éolien terrestre" in listing and "PCAET" in listing
    assert "Famille" in listing and "SDES" in listing
    with app.app_context():
        did = db.session.scalar(select(IndicateurDefinition.id).where(
            IndicateurDefinition.identifiant == "cae_2.m"))
    detail = client.get(f"/admin/indicateur/{did}").get_data(as_text=True)
    assert "Vecteur : Électricité" in detail and "Source :" in detail
    assert "Réglementaire PCAET" in detail and "arrêté du 4 août 2016" in detail
    assert "cae_6.f" in page and "cae_1.a" not in page  # filtered by famille
    # its own indicators first, then the catalogue (NULL identifiants sort alike everywhere)
    default = client.get("/admin/indicateur/").get_data(as_text=True)
    assert default.index("guichet France Rénov") < default.index("cae_1.a")
