"""The demo territory reads like a real collectivité's: each fiche's thématiques fit the axes
it is filed under, its référentiel actions and indicators exist, the CC's history spans two
years of dated notes and statut moves, and seeding again changes nothing."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from seeds.demo_historique import HistoireIncoherente, load_demo_historique
from seeds.demo_plans import DATA
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur, ReferentielAction
from tet.plans.models import FicheAction, NoteSuivi
from tet.plans.restauration import historique_fiche
from tet.plans.versions_fiche import FicheVersion, etats

SPEC = json.loads(DATA.read_text(encoding="utf-8"))
EN, MOB, BAT, ALI, EAU, BIO, URB, AIR, SOL, FOR = (
    "Énergie et climat", "Mobilité et transport", "Bâtiment et habitat",
    "Alimentation et agriculture", "Eau et assainissement", "Biodiversité",
    "Urbanisme et aménagement", "Air", "Solidarités et cohésion sociale",
    "Formation et sensibilisation")
# the thématiques a fiche filed under each axe may carry (at least one of them)
PERMISES = {
    "1.1 Bâtiments publics": {BAT, EN, FOR}, "1.2 Habitat privé": {BAT, SOL, FOR},
    "2.1 Modes actifs": {MOB}, "2.2 Transports partagés": {MOB},
    "3.1 Solaire": {EN}, "3.2 Bois-énergie et réseaux de chaleur": {EN, AIR},
    "4.1 Eau": {EAU}, "4.2 Biodiversité et agriculture": {BIO, ALI, URB},
    "Transition énergétique": {EN, BAT}, "Mobilités": {MOB}, "Cohésion et services": {SOL},
    "Bâtiments communaux": {BAT}, "Restauration collective": {ALI},
    "Production locale": {ALI}, "Accessibilité": {ALI, SOL},
}
CC = "200099901"


def _places() -> list[tuple[str, str]]:
    """(axe, fiche title) of every fiche filed in the demo plans."""
    found = []

    def walk(axes):
        for axe in axes:
            found.extend((axe["nom"], t) for t in axe.get("fiches", []) + axe.get("ranger", []))
            walk(axe.get("axes", []))

    for content in SPEC["collectivites"].values():
        for plan in content["plans"]:
            walk(plan["axes"])
    return found


def test_every_demo_fiche_has_thematiques_fitting_its_axes(app):
    places = _places()
    unclassified = [t for c in SPEC["collectivites"].values() for t in c.get("non_classees", [])]
    assert {t for _a, t in places} | set(unclassified) == set(SPEC["fiches"])
    for axe, titre in places:
        assert axe in PERMISES, f"axe sans thématiques permises : {axe}"
        assert set(SPEC["fiches"][titre]["thematiques"]) & PERMISES[axe], (axe, titre)
    with app.app_context():  # as loaded: the fiche's own thématiques, not a rotation
        for fiche in db.session.scalars(select(FicheAction).where(
                FicheAction.titre.in_(list(SPEC["fiches"])))):
            assert sorted(t.nom for t in fiche.thematiques) == sorted(
                SPEC["fiches"][fiche.titre]["thematiques"]), fiche.titre


def test_demo_links_exist_and_are_loaded(app):
    with app.app_context():
        actions = set(db.session.scalars(select(ReferentielAction.identifiant)))
        catalogue = set(db.session.scalars(select(IndicateurDefinition.identifiant).where(
            IndicateurDefinition.collectivite_id.is_(None))))
        fiches = {f.titre: f for f in db.session.scalars(select(FicheAction))}
        for titre, spec in SPEC["fiches"].items():
            assert set(spec["referentiel"]) <= actions, titre
            assert set(spec["indicateurs"]) <= catalogue, titre
            fiche = fiches[titre]
            assert {a.identifiant for a in fiche.referentiel_actions} == set(spec["referentiel"])
            assert set(spec["indicateurs"]) <= {i.identifiant for i in fiche.indicateurs}
            assert fiche.statut == spec["statut"] and fiche.date_fin == date.fromisoformat(
                spec["fin"]), titre
        with_links = [t for t, s in SPEC["fiches"].items() if s["referentiel"]]
        assert len(with_links) >= 0.9 * len(SPEC["fiches"])


def _counts() -> dict:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (FicheAction, FicheVersion, AuditLog, NoteSuivi, IndicateurValeur,
                          IndicateurDefinition, ReferentielAction)}


def test_seeding_again_changes_nothing(app):
    from seeds.demo import load_demo
    from seeds.demo_indicateurs import load_demo_indicateurs
    from seeds.demo_plans import load_demo_plans
    from seeds.reference import load_reference

    with app.app_context():
        assert load_demo_historique() > 30
        before = _counts()
        load_reference()
        load_demo()
        load_demo_plans()
        load_demo_indicateurs()
        assert load_demo_historique() == 0
        assert _counts() == before


def test_cc_history_spans_two_years_of_notes_and_statut_moves(app):
    with app.app_context():
        load_demo_historique()
        cc = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == CC))
        notes = list(db.session.scalars(select(NoteSuivi.date).join(FicheAction).where(
            FicheAction.collectivite_id == cc)))
        assert len(notes) >= 60 and max(notes) - min(notes) >= timedelta(days=548)
        assert {d.year for d in notes} >= {2024, 2025, 2026}
        moves = list(db.session.scalars(select(FicheVersion.at).where(
            FicheVersion.collectivite_id == cc, FicheVersion.changes["statut"].is_not(None))))
        assert max(moves) - min(moves) >= timedelta(days=548)
        veloroute = db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Aménager la véloroute entre les deux bourgs"))
        entries = historique_fiche(veloroute.id)
        assert [e.at.date().isoformat() for e in entries] == [
            "2026-07-06", "2025-04-14", "2024-02-12"]  # latest first, creation last
        assert [o.changements for o in entries[0].objets][0], "the statut move is shown"
        # the latest version is the fiche as it is: a restore or a save diffs against it
        last = db.session.scalar(select(FicheVersion).where(
            FicheVersion.fiche_id == veloroute.id).order_by(FicheVersion.id.desc()).limit(1))
        assert last.etat == etats([veloroute.id])[veloroute.id]
        late = db.session.scalar(select(func.count(FicheAction.id)).where(
            FicheAction.collectivite_id == cc, FicheAction.date_fin < date(2026, 11, 26),
            FicheAction.statut.not_in(("realise", "abandonne"))))
        assert late >= 3


def test_history_must_lead_to_the_fiche_statut(app, tmp_path):
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    histoire = spec["fiches"]["Aménager la véloroute entre les deux bourgs"]["historique"]
    histoire["evenements"][-1]["statut"] = "realise"
    path = tmp_path / "plans.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with app.app_context(), pytest.raises(HistoireIncoherente, match="véloroute"):
        load_demo_historique(path)
