"""Full-text search (tet.recherche): inspiration, audit log, collectivités — on
SQLite (FTS5 + triggers) and PostgreSQL (fr_unaccent, GIN), with the same answers."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, text

from tests import builders
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.comptes.journal import AuditLog
from tet import recherche

HOSTILE = ['"', "*", "énergie\"", 'NEAR(énergie rénovation, 2)', "AND OR NOT", "énergie*",
           "titre:énergie", "^énergie", "'; DROP TABLE fiche_action; --", "(((", "!!!",
           "&|!:*", "%00", "\x00énergie", "x" * 5000, "énergie " * 300, "-énergie", "{titre}: a"]


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _fiche(app, collectivite_id, titre, description=None, **fields) -> int:
    with app.app_context():
        f = FicheAction(collectivite_id=collectivite_id, titre=titre, description=description,
                        **fields)
        db.session.add(f)
        db.session.commit()
        return f.id


def _inspiration(client, q: str) -> str:
    return _text(client.get("/admin/inspiration/", query_string={"q": q}))


def _check_fts(app):
    """SQLite: the FTS5 indexes agree with their tables (raises if not)."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            for fts in recherche.FTS_TABLES.values():
                db.session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')"))


def test_terms_are_plain_words_without_operators_or_stop_words():
    assert recherche.terms('"Énergies" NEAR(*x) -de la ^titre:"rénovation"') == [
        "énergies", "near", "x", "titre", "rénovation"]
    assert recherche.terms("!!! ' \" * ()") == []
    assert recherche.terms("Saint-Jean-de-Luz", stop_words=False) == [
        "saint", "jean", "de", "luz"]
    assert len(recherche.terms("mot " * 500 + "a" * 500)) <= recherche.MAX_TERMS
    assert recherche._fts5_query(["énergies", "travaux", "gaz"], singular=True) == \
        '"énergie"* "travau"* "gaz"*'


def test_inspiration_ignores_accents_case_and_plurals(app, login_as, ids):
    _fiche(app, ids["cc"], "Plan de sobriété : énergie des bâtiments")
    client = login_as("admin_ville")
    for q in ("energies", "ÉNERGIE", "énergie", "batiments", "Bâtiment sobriete"):
        assert "sobriété : énergie des bâtiments" in _inspiration(client, q), q
    assert "sobriété : énergie" not in _inspiration(client, "énergie éolienne")


def test_inspiration_ranks_a_title_match_before_a_description_match(app, login_as, ids):
    _fiche(app, ids["cc"], "Aménager une chaufferie bois",
           "Étudier aussi l’agrivoltaïsme autour de la chaufferie.")
    _fiche(app, ids["cc"], "Zones d'agrivoltaïsme en ombrières",
           "Équiper les parkings publics.")
    page = _inspiration(login_as("admin_ville"), "agrivoltaisme")
    assert "2 fiches" in page
    assert page.index("agrivoltaïsme en ombrières") < page.index("chaufferie bois")
    beyond = _text(login_as("admin_ville").get("/admin/inspiration/?q=agrivoltaisme&page=9"))
    assert "2 fiches" in beyond and "chaufferie bois" not in beyond
    alphabetical = _inspiration(login_as("admin_ville"), "")  # no words: by titre
    assert alphabetical.index("chaufferie bois") < alphabetical.index("ombrières")


def test_inspiration_search_keeps_the_scope(app, login_as, ids):
    word = "géothermique"
    _fiche(app, ids["cc"], f"Réseau {word} confidentiel", confidentiel=True)
    deleted = _fiche(app, ids["cc"], f"Réseau {word} supprimé")
    _fiche(app, ids["ville"], f"Réseau {word} de ma ville")
    with app.app_context():
        db.session.get(FicheAction, deleted).deleted_at = db.func.now()
        db.session.commit()
    page = _inspiration(login_as("admin_ville"), word)
    assert "0 fiche" in page and "Réseau" not in page
    assert "de ma ville" in _inspiration(login_as("admin_cc"), word)  # others see it


def test_index_follows_create_update_soft_delete_and_delete(app, login_as, ids):
    client = login_as("admin_ville")
    fid = _fiche(app, ids["cc"], "Compostage partagé des biodéchets")
    assert "Compostage partagé" in _inspiration(client, "biodechet")
    with app.app_context():
        f = db.session.get(FicheAction, fid)
        f.titre, f.description = "Méthanisation territoriale", "Collecte des déchets verts."
        db.session.commit()
    assert "0 fiche" in _inspiration(client, "compostage")
    assert "Méthanisation territoriale" in _inspiration(client, "dechet vert")
    with app.app_context():
        db.session.get(FicheAction, fid).deleted_at = db.func.now()
        db.session.commit()
    assert "Méthanisation territoriale" not in _inspiration(client, "territoriale")
    with app.app_context():
        db.session.get(FicheAction, fid).deleted_at = None
        db.session.commit()
    assert "Méthanisation territoriale" in _inspiration(client, "territoriale")
    _check_fts(app)
    with app.app_context():
        db.session.delete(db.session.get(FicheAction, fid))
        db.session.commit()
    assert "0 fiche" in _inspiration(client, "territoriale")
    _check_fts(app)


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_searches_give_a_page(login_as, q):
    client = login_as("support")
    _inspiration(login_as("admin_ville"), q)
    _text(client.get("/admin/auditlog/", query_string={"search": q}))
    _text(client.get("/admin/collectivite/", query_string={"search": q}))


def test_punctuation_only_lists_as_without_search(app, login_as):
    client = login_as("admin_ville")
    everything = _inspiration(client, "")
    assert " fiches</p>" in everything
    count = everything.split(" fiches</p>")[0].rsplit(">", 1)[-1]
    assert f"{count} fiches</p>" in _inspiration(client, "« ! » ?")


def test_audit_search_finds_a_word_without_accent_and_an_author(app, login_as, ids):
    with app.app_context():
        user = builders.user("marie.curie@exemple.fr")
        db.session.add_all([
            AuditLog(action="update", object_type="FicheAction", object_id=1,
                     object_repr="Éclairage public basse consommation", user_id=user.id,
                     user_email=user.email, collectivite_id=ids["cc"]),
            AuditLog(action="update", object_type="Plan", object_id=2,
                     object_repr="Plan vélo", user_email="jean.dupont@exemple.fr",
                     collectivite_id=ids["cc"])])
        db.session.commit()
    client = login_as("support")
    for q in ("eclairage", "ÉCLAIRAGES publics", "marie.curie@exemple.fr", "curie"):
        page = _text(client.get("/admin/auditlog/", query_string={"search": q}))
        assert "basse consommation" in page and "Plan vélo" not in page, q
    page = _text(client.get("/admin/auditlog/", query_string={"search": "dupont"}))
    assert "Plan vélo" in page and "basse consommation" not in page
    _check_fts(app)


def test_collectivite_search_ignores_accents_and_keeps_codes_exact(app, login_as):
    with app.app_context():
        builders.collectivite("Saint-Étienne", departement="42", code_insee="42218",
                              siren="214202186")
        builders.collectivite("Saint-Étienne-du-Rouvray", departement="76",
                              code_insee="76575")
        builders.collectivite("Ajaccio", departement="2A", code_insee="2A004")
        db.session.commit()
    client = login_as("support")

    def found(q):
        return _text(client.get("/admin/collectivite/", query_string={"search": q}))

    for q in ("saint-etienne", "SAINT ÉTIENNE", "saint-éti"):
        page = found(q)
        assert "Saint-Étienne" in page and "Saint-Étienne-du-Rouvray" in page, q
    assert "Rouvray" not in found("42218") and "Saint-Étienne" in found("42218")
    assert "Ajaccio" in found("2a004")
    assert "Rouvray" not in found("214 202 186") and "Saint-Étienne" in found("214202186")
    assert "Saint-Étienne" in found("2142")  # the beginning of a SIREN
    assert "Saint-Étienne" not in found("etiennette")
    _check_fts(app)


def test_migration_goes_down_and_up_again(app, login_as, ids):
    path = Path(__file__).parents[1] / "migrations" / "versions" / "a17_recherche.py"
    spec = importlib.util.spec_from_file_location("a17_recherche", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    _fiche(app, ids["cc"], "Ombrières photovoltaïques")
    with app.app_context():
        for step in (migration.downgrade, migration.upgrade):
            with db.engine.begin() as conn, Operations.context(
                    MigrationContext.configure(conn)):
                step()
            if step is migration.downgrade:
                names = {r[0] for r in db.session.execute(text(
                    "SELECT name FROM sqlite_master" if db.engine.dialect.name == "sqlite"
                    else "SELECT indexname FROM pg_indexes"))}
                assert not names & {"fiche_fts", "ix_fiche_action_recherche"}
        db.session.remove()
    assert "Ombrières photovoltaïques" in _inspiration(login_as("admin_ville"), "ombrière")
    _check_fts(app)


def test_search_queries_use_the_indexes_on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("EXPLAIN des index GIN : PostgreSQL seulement")
        from tet.comptes.models import Collectivite

        query, _rank = recherche.fiches(select(FicheAction.id), "énergies")
        cases = {"ix_fiche_action_recherche": query,
                 "ix_audit_log_recherche": select(AuditLog.id).where(
                     recherche.condition("audit", AuditLog.id, "éclairage")),
                 "ix_collectivite_recherche": select(Collectivite.id).where(
                     recherche.condition("collectivite", Collectivite.id, "saint-etienne"))}
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        for index, stmt in cases.items():
            compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
            assert index in plan, plan
        db.session.rollback()
