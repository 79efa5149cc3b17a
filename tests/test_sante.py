"""``/sante`` (database reachable, schema at the Alembic head) and the browser caching of
static files and pages. Runs on SQLite and on PostgreSQL, like the rest of the suite."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine

from tests.test_query_counts import count_queries
from tet.extensions import db
from tet import sante


def test_sante_answers_ok_without_login_session_or_cache(client, app):
    with count_queries(app) as n:
        response = client.get("/sante")
    assert response.status_code == 200
    assert response.get_json() == {"etat": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session created
    assert n["n"] == 2  # SELECT 1, the stored revision


def _dead_engine(app, tmp_path):
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "postgresql":
        return create_engine(url.set(host="127.0.0.1", port=1),
                             connect_args={"connect_timeout": 2})
    return create_engine(f"sqlite:///{tmp_path}/absent/base.sqlite3")


def test_database_down_is_a_503_with_a_french_reason_and_no_detail(client, app, tmp_path,
                                                                    monkeypatch):
    dead = _dead_engine(app, tmp_path)
    monkeypatch.setattr(sante, "_engine", lambda: dead)
    response = client.get("/sante")
    assert response.status_code == 503
    assert response.get_json() == {"etat": "erreur", "raison": sante.BASE_INJOIGNABLE}
    body = response.get_data(as_text=True)
    assert "absent" not in body and "127.0.0.1" not in body
    dead.dispose()


def test_schema_behind_the_code_is_a_503(client, app, monkeypatch):
    monkeypatch.setitem(app.extensions, "tet_alembic_heads", {"a99_revision_a_venir"})
    response = client.get("/sante")
    assert response.status_code == 503
    assert "flask --app app db upgrade" in response.get_json()["raison"]


def test_heads_are_read_from_the_migrations(app):
    app.extensions.pop("tet_alembic_heads", None)
    with app.test_request_context():
        heads = sante._heads()
    assert len(heads) == 1 and app.extensions["tet_alembic_heads"] == heads


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/[^"]*static/[^"]+)"', html)


def test_static_files_are_versioned_and_cached_for_a_year(client):
    page = client.get("/connexion")
    urls = _static_urls(page.get_data(as_text=True))
    assert any(u.startswith("/static/css/tet.css?v=") for u in urls)
    assert any(u.startswith("/admin/static/") for u in urls)  # Flask-Admin's files too
    for url in urls:
        assert re.search(r"[?&]v=\w+", url), url
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        cache = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "public" in cache and "immutable" in cache
        response.close()


def test_a_changed_static_file_gets_a_new_url(app, tmp_path, monkeypatch):
    from tet import cache_http

    (tmp_path / "a.css").write_text("a {}")
    first = cache_http.version(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("a { color: red }")
    assert cache_http.version(str(tmp_path), "a.css") not in (None, first)
    assert cache_http.version(str(tmp_path), "../etc/passwd") is None
    assert cache_http.version(str(tmp_path), "absent.css") is None


def test_unversioned_static_file_is_revalidated_not_kept(client):
    response = client.get("/static/css/tet.css")
    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]
    assert "max-age=31536000" not in response.headers["Cache-Control"]
    response.close()


@pytest.mark.parametrize("path", ["/admin/", "/admin/plan/", "/admin/fiche/"])
def test_pages_are_never_stored(login_as, path):
    response = login_as("admin_cc").get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_login_page_is_never_stored(client):
    assert client.get("/connexion").headers["Cache-Control"] == "no-store"


def test_downloads_are_never_stored_either(app, login_as):
    from tet.plans.models import Plan

    with app.app_context():
        plan = db.session.scalar(db.select(Plan.id).where(Plan.nom.like("%PCAET%")))
    response = login_as("admin_cc").get(f"/admin/plan/{plan}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    response.close()
