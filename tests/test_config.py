"""Production configuration: safe defaults, refusals at start-up."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from tet.config import _dev_secret
from tet.extensions import db
from tet.models import User

STRONG = "k" * 16 + "0123456789abcdef0123456789"


@pytest.fixture
def prod_env(monkeypatch, tmp_path):
    monkeypatch.setenv("TET_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)


def test_production_refuses_to_start_without_secret_key(prod_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY manquante"):
        create_app()


@pytest.mark.parametrize("key", ["dev", "changeme", "court-mais-pas-assez"])
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
