"""Indicators: values (unique, validated, French), catalogue scoping, charts, links, copy."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from admin_views.charts import lines
from tests.plan_helpers import fiche_id
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.plans import copie
from tet.indicateurs import valeurs as service

PERSO = "Nombre de foyers accompagnés par le guichet France Rénov'"


def _def_id(app, key: str) -> int:
    with app.app_context():
        return db.session.scalar(select(IndicateurDefinition.id).where(
            (IndicateurDefinition.identifiant == key) | (IndicateurDefinition.nom == key)))


def _values(app, cid, def_id) -> dict:
    with app.app_context():
        return {(v.annee, v.type): v.valeur for v in db.session.scalars(
            select(IndicateurValeur).where(IndicateurValeur.collectivite_id == cid,
                                           IndicateurValeur.definition_id == def_id))}


def _versions(app, did, annee, n="1", cid=None) -> dict:
    """The versions the indicator page's row ``n`` carries (0: no value)."""
    with app.app_context():
        cells = service.cellules(cid or 1, [did], [annee])
    return {f"version-{t}-{n}": getattr(cells.get((did, annee, t)), "version", 0)
            for t in ("objectif", "resultat")}


def _text(r) -> str:
    return r.get_data(as_text=True)


def test_french_numbers_in_and_out():
    assert service.parse_valeur("1 234,5") == Decimal("1234.5")
    assert service.parse_valeur("\u202f12\u202f000") == Decimal("12000")
    assert service.parse_valeur("") is None
    with pytest.raises(service.ValeurError, match="Nombre invalide"):
        service.parse_valeur("douze")
    assert service.format_valeur(Decimal("1234.50"), "GWh") == "1\u202f234,5\u00a0GWh"
    assert service.format_valeur(Decimal("212")) == "212"


def test_one_value_per_key_and_edit_keeps_history(app, ids, login_as):
    did = _def_id(app, "cae_1.a")
    client = login_as("edition_cc")
    client.post(f"/admin/indicateur/{did}", data={"annee-1": "2022", "resultat-1": "179,5",
                                                  "objectif-1": "", **_versions(app, did, 2022)})
    assert _values(app, ids["cc"], did)[(2022, "resultat")] == Decimal("179.5")
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(IndicateurValeur).where(
            IndicateurValeur.definition_id == did, IndicateurValeur.annee == 2022,
            IndicateurValeur.type == "resultat"))
        assert n == 1
        entry = db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "IndicateurValeur", AuditLog.action == "update")
            .order_by(AuditLog.id.desc())).first()
        assert entry.user_email == "edition.cc@tet.test"
        assert [float(x) for x in entry.changes["valeur"]] == [181.9, 179.5]
        definition = db.session.get(IndicateurDefinition, did)
        db.session.add(IndicateurValeur(collectivite_id=ids["cc"], definition_id=did,
                                        annee=2022, type="resultat", valeur=1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert definition.unite == "kteqCO2"


def test_bad_values_are_refused_in_french_and_nothing_is_written(app, ids, login_as):
    did = _def_id(app, "cae_2.a")
    before = _values(app, ids["cc"], did)
    response = login_as("edition_cc").post(f"/admin/indicateur/{did}", follow_redirects=True,
                                           data={"annee-new0": "2023", "resultat-new0": "700",
                                                 "annee-new1": "1850", "resultat-new1": "12",
                                                 "annee-1": "2015", "resultat-1": "huit cents"})
    text = _text(response)
    assert "Rien n&#39;a été enregistré" in text
    assert "entre 1990 et 2100" in text and "Nombre invalide" in text
    assert _values(app, ids["cc"], did) == before


def test_bulk_entry_of_a_year(app, ids, login_as):
    a, b = _def_id(app, "cae_7.a"), _def_id(app, "eci_2")
    client = login_as("admin_cc")
    page = _text(client.get("/admin/indicateur/saisie?annee=2023"))
    assert "Objectif 2023" in page
    client.post("/admin/indicateur/saisie", data={
        "annee": "2023", f"resultat-{a}": "12,4", f"objectif-{b}": "250",
        f"version-resultat-{a}": "0", f"version-objectif-{b}": "0"})
    assert _values(app, ids["cc"], a) == {(2023, "resultat"): Decimal("12.4")}
    assert _values(app, ids["cc"], b) == {(2023, "objectif"): Decimal("250")}
    assert login_as("lecture_cc").get("/admin/indicateur/saisie").status_code == 403


def test_chart_renders_series_with_gaps():
    svg = str(lines([("Résultat", {2015: 10, 2016: 12, 2018: 9, 2019: 8, 2022: 5}, "#00f"),
                     ("Objectif", {2030: 2}, "#f80")], "GES", "t"))
    assert svg.count("<polyline") == 2  # 2015–2016 and 2018–2019; lone points as dots
    assert svg.count("<circle") == 6
    assert "2017" in svg and "Aucune valeur" not in svg
    assert "Aucune valeur" in str(lines([], "vide"))


def test_custom_indicators_are_invisible_to_other_collectivites(app, ids, login_as):
    did = _def_id(app, PERSO)
    client = login_as("admin_ville")
    for url in ("/admin/indicateur/", "/admin/indicateur/?search=foyers",
                "/admin/indicateur/export/csv/", "/admin/indicateur/saisie"):
        assert "foyers accompagnés" not in _text(client.get(url))
    assert client.get(f"/admin/indicateur/{did}").status_code == 404
    assert client.post(f"/admin/indicateur/{did}", data={"annee-1": "2024",
                                                         "resultat-1": "1"}).status_code == 404
    assert "foyers accompagnés" in _text(login_as("lecture_cc").get("/admin/indicateur/"))


def test_create_a_custom_indicator(app, ids, login_as):
    login_as("admin_ville").post("/admin/indicateur/new/", data={
        "nom": "Repas végétariens servis", "unite": "repas/semaine", "thematique": "Alimentation"})
    with app.app_context():
        d = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.nom == "Repas végétariens servis"))
        assert d.collectivite_id == ids["ville"] and d.identifiant is None


def test_national_catalogue_is_read_only_for_collectivites(app, login_as):
    did = _def_id(app, "cae_1.a")
    client = login_as("admin_cc")
    assert client.get(f"/admin/indicateur/edit/?id={did}").status_code == 403
    assert client.post("/admin/indicateur/delete/", data={"id": did}).status_code == 403


def test_links_fiche_and_indicator_from_both_sides(app, login_as):
    fid = fiche_id(app, "Réaliser le schéma directeur cyclable")
    did = _def_id(app, "cae_1.d")
    client = login_as("edition_cc")
    client.post(f"/admin/fiche/{fid}/indicateurs", data={"definition_id": did})
    assert "schéma directeur cyclable" in _text(client.get(f"/admin/indicateur/{did}"))
    client.post(f"/admin/indicateur/{did}/fiches", data={"fiche_id": fid, "op": "retirer"})
    page = _text(client.get(f"/admin/fiche/{fid}"))
    assert "Émissions de GES du transport routier" not in page.split('id="indicateurs"')[1][:3000]
    assert "<svg" in page  # the charts of its other indicators
    perso = _def_id(app, PERSO)
    assert login_as("admin_ville").post(
        f"/admin/fiche/{fiche_id(app, 'Créer une légumerie municipale')}/indicateurs",
        data={"definition_id": perso}).status_code == 404


def test_referentiel_action_lists_the_fiches_serving_it(app, login_as):
    page = _text(login_as("lecture_cc").get("/admin/referentiels/cae_4.2.2"))
    assert "schéma directeur cyclable" in page and "Favoriser le vélo" in page
    assert "schéma directeur cyclable" not in _text(
        login_as("admin_ville").get("/admin/referentiels/cae_4.2.2"))
    tree = _text(login_as("admin_ville").get("/admin/referentiels/"))
    assert "Planification territoriale" in tree and "Coopération et engagement" in tree
    fid = fiche_id(app, "Créer des aires de covoiturage aux entrées de bourg")
    bad = login_as("edition_cc").post(f"/admin/fiche/{fid}/referentiel",
                                      data={"identifiant": "cae_9.9"}, follow_redirects=True)
    assert "Action du référentiel inconnue" in _text(bad)


def test_contributeur_enters_values_of_its_fiches_indicators(app, ids, login_as):
    from tests import builders
    from tet.comptes.models import Collectivite
    from tet.plans.models import FicheAction

    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        user = builders.user("contrib@val.fr")
        builders.member(user, cc, "contributeur")
        f = db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Réaliser le schéma directeur cyclable"))
        f.pilotes.append(user)
        db.session.commit()
    client = login_as("contrib@val.fr")
    linked, other = _def_id(app, "cae_5.c"), _def_id(app, "cae_1.a")
    assert client.post(f"/admin/indicateur/{linked}", data={
        "annee-new0": "2024", "resultat-new0": "35", **_versions(app, linked, 2024, "new0")}
    ).status_code == 302
    assert _values(app, ids["cc"], linked)[(2024, "resultat")] == Decimal("35")
    assert client.post(f"/admin/indicateur/{other}", data={
        "annee-new0": "2024", "resultat-new0": "1"}).status_code == 403


# --- the support copy tool --------------------------------------------------------------

def _personnalises(app, cid) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(IndicateurDefinition.nom).where(
            IndicateurDefinition.collectivite_id == cid)))


def _snapshot(app, cid):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(IndicateurValeur).where(
            IndicateurValeur.collectivite_id == cid)),
                db.session.scalar(select(func.count()).select_from(IndicateurDefinition).where(
                    IndicateurDefinition.collectivite_id == cid)))


def test_copy_dry_run_changes_nothing_then_apply(app, ids):
    before = _snapshot(app, ids["ville"])
    n, k = _snapshot(app, ids["cc"])  # every value and personnalisé of the CC is new there
    assert PERSO in _personnalises(app, ids["cc"])
    with app.app_context():
        plan = copie.preview("200099901", "216890103")
        assert sorted(plan.indicateurs_crees) == _personnalises(app, ids["cc"])
        assert plan.valeurs_ajoutees == n and plan.valeurs_remplacees == 0
    assert _snapshot(app, ids["ville"]) == before
    with app.app_context():
        copie.apply("200099901", "216890103", None)
        entries = db.session.scalars(select(AuditLog).where(
            AuditLog.context == "copie 200099901 → 216890103")).all()
        assert len(entries) == n + k  # the values and the personnalisé indicators
    assert _snapshot(app, ids["ville"]) == (before[0] + n, before[1] + k)
    with app.app_context():
        again = copie.preview("200099901", "216890103")
        assert again.vide and again.valeurs_identiques == n


def test_copy_is_all_or_nothing(app, ids, monkeypatch):
    before = _snapshot(app, ids["ville"])
    original = IndicateurValeur.__init__
    calls = {"n": 0}

    def failing_init(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("panne simulée")
        original(self, **kwargs)

    monkeypatch.setattr(IndicateurValeur, "__init__", failing_init)
    with app.app_context(), pytest.raises(RuntimeError):
        copie.apply("200099901", "216890103", None)
    monkeypatch.undo()
    assert _snapshot(app, ids["ville"]) == before


def test_only_support_runs_the_copy(app, login_as, ids):
    for role in ("admin_cc", "opsn_admin", "lecture_cc"):
        assert login_as(role).get("/admin/copie/").status_code == 403
    client = login_as("support")
    preview = _text(client.get("/admin/copie/?source=200099901&cible=216890103"))
    assert "aperçu" in preview
    assert f"Valeurs ajoutées : {_snapshot(app, ids['cc'])[0]}" in preview
    client.post("/admin/copie/", data={"source": "200099901", "cible": "216890103",
                                       "confirmer": "1"})
    assert _snapshot(app, ids["ville"])[1] == _snapshot(app, ids["cc"])[1]
    unknown = _text(client.get("/admin/copie/?source=200099901&cible=999999999"))
    assert "Aucune collectivité avec le SIREN 999999999" in unknown


def test_copy_cli(app, ids):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["copy-collectivite", "200099901", "216890103", "--dry-run"])
    assert dry.exit_code == 0 and "Simulation : rien n'a été écrit." in dry.output
    assert _snapshot(app, ids["ville"]) == (0, 0)
    done = runner.invoke(args=["copy-collectivite", "200099901", "216890103"])
    n, k = _snapshot(app, ids["cc"])
    assert done.exit_code == 0 and f"valeurs ajoutées : {n}" in done.output
    assert _snapshot(app, ids["ville"]) == (n, k)


def test_copy_adds_referentiel_links_to_same_title_fiches(app, ids):
    from tet.plans.models import FicheAction

    titre = "Rénover l'isolation des écoles communautaires"
    with app.app_context():
        db.session.add(FicheAction(collectivite_id=ids["ville"], titre=titre))
        db.session.commit()
        plan = copie.preview("200099901", "216890103")
        assert sorted(plan.liens_referentiel) == [(titre, "cae_2.1.2"), (titre, "cae_2.2.1")]
        copie.apply("200099901", "216890103", None)
        copied = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == ids["ville"], FicheAction.titre == titre))
        assert [a.identifiant for a in copied.referentiel_actions] == ["cae_2.1.2", "cae_2.2.1"]
