"""Fixtures: one app per session (schema built by the Alembic migrations, demo data seeded
once), the seeded database restored before each test, ``login_as(role)`` clients, and builders.

The database comes from ``TEST_DATABASE_URL`` (PostgreSQL in CI), else a SQLite file in a
temporary folder. No request context is held during a test (pytest-flask's autouse push
is switched off): each request gets its own application context and session, as in
production; tests open ``app.app_context()`` explicitly to read the database.
"""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text

from app import create_app
from tet.extensions import db

DEMO = {
    "support": "support@tet.test",
    "opsn_admin": "opsn.admin@tet.test",
    "admin_cc": "admin.cc@tet.test",
    "edition_cc": "edition.cc@tet.test",
    "lecture_cc": "lecture.cc@tet.test",
    "admin_ville": "admin.ville@tet.test",
}
PASSWORD = "tet-demo"
TEST_QUESTIONNAIRE = Path(__file__).parent / "data" / "questionnaire-test.json"
SNAPSHOT_SCHEMA = "tet_snapshot"  # PostgreSQL: the seeded tables, copied back before each test


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    from flask_migrate import upgrade

    outbox: list = []
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory),
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "tet.test",
    })
    app.extensions["tet_outbox"] = outbox
    # import previews and documents go to a folder of this run, not the checkout's instance/
    # (where the developer's own files are, and which another run may be using)
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_without_fsync)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        _seed()
        app.extensions["tet_snapshot"] = _snapshot()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        db.engine.dispose()


def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """A throwaway database need not survive a crash: no fsync at each commit, rollback
    journal in memory (as ``fsync=off`` for the PostgreSQL of .ci/pg)."""
    dbapi_connection.execute("PRAGMA synchronous=OFF")
    dbapi_connection.execute("PRAGMA journal_mode=MEMORY")


def _seed() -> None:
    from seeds.demo import load_demo
    from seeds.demo_indicateurs import load_demo_indicateurs
    from seeds.maturite import load_questionnaire
    from seeds.demo_plans import load_demo_plans
    from seeds.reference import load_reference

    load_reference()
    load_questionnaire(TEST_QUESTIONNAIRE)
    load_demo()
    load_demo_plans()
    load_demo_indicateurs()


def _snapshot():
    """The seeded database, kept to be restored before each test (faster than seeding).

    SQLite: a copy of the whole file in memory (SQLite's backup API), copied back page by
    page. PostgreSQL: a copy of every table in the schema ``tet_snapshot`` of the same
    database, copied back by one batch of statements run by the server."""
    if db.engine.dialect.name == "sqlite":
        copy = sqlite3.connect(":memory:")
        with db.engine.connect() as conn:
            conn.connection.driver_connection.backup(copy)
        return copy
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE; "
                             f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        conn.exec_driver_sql("; ".join(
            f"CREATE TABLE {SNAPSHOT_SCHEMA}.{t.name} AS SELECT {_columns(t)} FROM {t.name}"
            for t in tables))
        superuser = conn.exec_driver_sql("SHOW is_superuser").scalar() == "on"
    # the copy is consistent: a superuser skips the foreign-key checks of its ~1000 rows
    return ("SET LOCAL session_replication_role = replica; " if superuser else ""
            ) + _restore_script(tables, copy_derived=superuser)


def _columns(table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.c)


# Kept by database triggers from other rows: with the triggers on (not a superuser), they
# are rebuilt by copying those rows back, not copied themselves (their counts would double).
DERIVED = {"sous_arbre_total", "sous_arbre_compte"}


def _restore_script(tables, copy_derived: bool) -> str:
    """Empty every table (children first), copy the rows back (parents first), then move
    each id sequence past the largest id (explicit ids do not move the sequences)."""
    statements = [f"DELETE FROM {t.name}" for t in reversed(tables)]
    statements += [f"INSERT INTO {t.name} ({_columns(t)}) "
                   f"SELECT {_columns(t)} FROM {SNAPSHOT_SCHEMA}.{t.name}" for t in tables
                   if copy_derived or t.name not in DERIVED]
    statements.append("SELECT " + ", ".join(
        f"setval(pg_get_serial_sequence('{t.name}', 'id'), "
        f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
        for t in tables if "id" in t.c and t.c.id.autoincrement))
    return "; ".join(statements)


def _restore(snapshot) -> None:
    if isinstance(snapshot, sqlite3.Connection):
        with db.engine.connect() as conn:
            snapshot.backup(conn.connection.driver_connection)
        return
    with db.engine.begin() as conn:
        conn.exec_driver_sql(snapshot)


@pytest.fixture
def app(_app):
    """The app with the demo data freshly restored and an empty outbox."""
    with _app.app_context():
        _restore(_app.extensions["tet_snapshot"])
        db.session.remove()
    _app.extensions["tet_outbox"].clear()
    yield _app
    with _app.app_context():
        db.session.remove()


@pytest.fixture
def _push_request_context():
    """Override pytest-flask's autouse fixture: no context shared between requests."""
    yield


@pytest.fixture
def client(app):
    """An anonymous test client. (pytest-flask's own opens it with ``with``, which keeps the
    last request's context pushed and shares ``g`` with the next client's requests.)"""
    return app.test_client()


@pytest.fixture
def outbox(app):
    return app.extensions["tet_outbox"]


def login(client, email: str, password: str = PASSWORD):
    return client.post("/connexion", data={"email": email, "password": password})


@pytest.fixture
def login_as(app):
    """``login_as("admin_cc")`` → a test client signed in as that demo user (or e-mail)."""

    def _login(who: str):
        client = app.test_client()
        response = login(client, DEMO.get(who, who))
        assert response.status_code == 302, f"connexion de {who} refusée"
        return client

    return _login


@pytest.fixture
def ids(app):
    """Ids of the demo rows, by name."""
    from tet.comptes.models import Collectivite, Opsn, User
    from tet.comptes.demandes import Rattachement

    with app.app_context():
        colls = {c.siren: c.id for c in db.session.scalars(db.select(Collectivite))}
        users = {u.email: u.id for u in db.session.scalars(db.select(User))}
        opsn = db.session.scalar(db.select(Opsn.id))
        ratts = {r.collectivite_id: r.id for r in db.session.scalars(db.select(Rattachement))}
    return {
        "cc": colls["200099901"], "commune1": colls["216790105"],
        "commune2": colls["216790204"], "ville": colls["216890103"],
        "opsn": opsn, "users": users,
        "ratt_cc": ratts[colls["200099901"]], "ratt_ville": ratts[colls["216890103"]],
    }


def flashes(response) -> list[str]:
    """The flashed / alert messages of a rendered page, as text."""
    html = response.get_data(as_text=True)
    found = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)
    found += re.findall(r'class="invalid-feedback"[^>]*>(.*?)</div>', html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", m).replace("×", "").strip() for m in found]
