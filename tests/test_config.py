"""Production configuration: safe defaults, refusals at start-up."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from tet.config import DEV_SECRET_FILE, _dev_secret
from tet.extensions import db
from tet.comptes.models import User

STRONG = "9f2c4e7a1b08d36f5ae19c7240bd8e61f3a5c09d27e4b816"  # as secrets.token_hex gives


@pytest.fixture
def prod_env(monkeypatch, tmp_path):
    monkeypatch.setenv("TET_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://tet.exemple.fr")


def test_production_refuses_to_start_without_secret_key(prod_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY manquante"):
        create_app()


@pytest.mark.parametrize("key", [
    "dev", "changeme", "court-mais-pas-assez",
    "a" * 64,                                   # long, one character
    "azerty" * 8,                               # a short block repeated
    "abcdefghijklmnopqrstuvwxyz0123456789ABCD",  # a run of the alphabet
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0123456789",  # few bits
])
def test_production_refuses_a_weak_secret_key(prod_env, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="trop faible"):
        create_app()


def test_production_has_safe_defaults_and_refuses_demo_data(prod_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert not app.debug
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert result.exit_code != 0 and "Refusé" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None
        db.engine.dispose()


def test_development_key_is_random_and_kept_in_instance(tmp_path):
    first = _dev_secret(str(tmp_path))
    assert len(first) == 64 and first == _dev_secret(str(tmp_path))
    assert first != _dev_secret(str(tmp_path / "autre"))


def test_passwords_are_stored_hashed(app):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "admin.cc@tet.test"))
        assert "tet-demo" not in user.password_hash
        assert user.password_hash.startswith(("pbkdf2:", "scrypt:"))


def test_database_url_is_normalised_for_psycopg(monkeypatch, tmp_path):
    from tet.config import normalise_db_url

    assert normalise_db_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_db_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("url", [None, "http://tet.exemple.fr", "https://"])
def test_production_requires_an_https_public_url(prod_env, monkeypatch, url):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    if url is None:
        monkeypatch.delenv("PUBLIC_URL")
    else:
        monkeypatch.setenv("PUBLIC_URL", url)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app()


def test_production_answers_only_to_its_own_hosts(prod_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("TET_TRUSTED_HOSTS", "admin.tet.exemple.fr, ")
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["tet.exemple.fr", "admin.tet.exemple.fr"]
    client = app.test_client()
    page = client.get("/connexion", base_url="https://tet.exemple.fr")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/connexion", base_url="https://admin.tet.exemple.fr"
                      ).status_code == 200
    assert client.get("/connexion", base_url="https://pirate.example").status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_development_key_file_is_readable_by_its_owner_only(tmp_path):
    _dev_secret(str(tmp_path))
    path = tmp_path / DEV_SECRET_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)  # an older, wider file is narrowed when read
    _dev_secret(str(tmp_path))
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name", ["TET_PROXY_COUNT", "MAIL_PORT", "BENCHMARK_MIN_GROUPE"])
def test_a_number_setting_that_is_not_a_number_is_named_in_french(prod_env, monkeypatch,
                                                                   name):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv(name, "deux")
    with pytest.raises(RuntimeError, match=f"{name} doit être un nombre entier"):
        create_app()
