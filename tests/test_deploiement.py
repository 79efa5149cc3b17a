"""The documented deployment, run for real: ``flask db upgrade`` then gunicorn with the
project's ``gunicorn.conf.py`` (2 workers, a free loopback port, production settings, a
temporary SQLite database), asked over HTTP, then stopped (always, in bounded time)."""
from __future__ import annotations

import http.client
import importlib.util
import os
import re
import secrets
from pathlib import Path

import pytest

from bench import serveur

ROOT = Path(__file__).resolve().parent.parent
HOST = "tet.exemple.test"
pytestmark = pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None,
                                reason="gunicorn n'est pas installé (pip install -e .)")


def _env(tmp_path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEST_DATABASE", "DATABASE_URL", "GUNICORN", "MAIL_"))}
    env.update(TET_ENV="production", SECRET_KEY=secrets.token_hex(32),
               PUBLIC_URL=f"https://{HOST}", TET_TRUSTED_HOSTS="tet-bis.exemple.test",
               TET_PROXY_COUNT="1", DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2",
               GUNICORN_ACCESSLOG=str(tmp_path / "access.log"))
    return env


def _get(port: int, path: str, host: str = HOST):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture
def gunicorn(tmp_path):
    port = serveur.free_port()
    proc = serveur.start(_env(tmp_path, port), str(tmp_path / "gunicorn.log"), HOST, wait=60)
    try:
        yield port, tmp_path
    finally:
        serveur.stop(proc)


def test_gunicorn_serves_the_app_in_production(gunicorn):
    port, folder = gunicorn
    status, headers, body = _get(port, "/sante")
    assert (status, body) == (200, b'{"etat":"ok"}\n')
    assert headers["Cache-Control"] == "no-store"

    status, headers, body = _get(port, "/connexion")
    assert status == 200 and "Mot de passe" in body.decode()
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in headers

    static = re.search(r'href="(/static/css/tet\.css\?v=\w+)"', body.decode()).group(1)
    status, headers, _ = _get(port, static)
    assert status == 200
    assert "max-age=31536000" in headers["Cache-Control"]

    assert _get(port, "/connexion", host="tet-bis.exemple.test")[0] == 200
    assert _get(port, "/connexion", host="attaquant.exemple")[0] == 400

    log = (folder / "access.log").read_text()
    assert '"GET /sante" 200' in log and "?v=" not in log


def test_the_config_file_reads_the_environment(monkeypatch):
    import runpy

    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["timeout"], conf["bind"]) == (3, 120, "127.0.0.1:8000")
    monkeypatch.setenv("GUNICORN_WORKERS", "quatre")
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_is_a_declared_dependency():
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^\s*"gunicorn[>=<]', text, re.M)


def test_the_systemd_unit_upgrades_the_schema_and_is_hardened():
    unit = (ROOT / "deploy" / "tet-backoffice.service").read_text()
    for line in ("ExecStartPre=/srv/tet-backoffice/.venv/bin/flask --app app db upgrade",
                 "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "ReadWritePaths=/srv/tet-backoffice/instance",
                 "EnvironmentFile=/etc/tet-backoffice.env"):
        assert line in unit.splitlines()
