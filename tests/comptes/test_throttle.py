"""Login limits: locked per e-mail, only slowed down per client address; the address is
read through the configured number of trusted proxies (ProxyFix)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app import create_app
from tests.conftest import PASSWORD, flashes
from tet.extensions import db
from tet.comptes import throttle

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches the app from it


class Clock:
    def __init__(self):
        self.at = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "now", fake)
    return fake


@pytest.fixture
def proxied_app(app):
    """The same app and database, configured as deployed behind one proxy."""
    keys = ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "WTF_CSRF_ENABLED",
            "PASSWORD_HASH_METHOD", "SERVER_NAME")
    other = create_app({**{k: app.config[k] for k in keys}, "PROXY_COUNT": 1})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _login(app, email, password=PASSWORD, client_ip="203.0.113.5", forwarded=None):
    """A login POST reaching the app from the proxy, on behalf of ``client_ip``."""
    return app.test_client().post(
        "/connexion", data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": PROXY},
        headers={"X-Forwarded-For": forwarded or client_ip})


def _wait_message(response) -> bool:
    return response.status_code == 200 and any("patientez" in m for m in flashes(response))


def test_attack_from_a_shared_address_slows_down_but_never_locks_out(proxied_app, clock):
    delay = proxied_app.config["LOGIN_ADDRESS_MAX_DELAY"]
    for n in range(50):  # a patient attacker: random e-mails, waiting as told each time
        response = _login(proxied_app, f"inconnu{n}@exemple.fr", "devine")
        assert response.status_code == 200 and not _wait_message(response)
        clock.advance(delay)
    _login(proxied_app, "personne@exemple.fr", "devine")
    clock.advance(1)
    hurried = _login(proxied_app, "admin.cc@tet.test")  # same address, right after
    assert _wait_message(hurried)
    assert any(f"patientez {delay - 1} secondes" in m for m in flashes(hurried))
    clock.advance(delay)
    assert _login(proxied_app, "admin.cc@tet.test").status_code == 302


def test_the_wait_grows_with_the_failures_of_the_address(proxied_app, clock):
    free = proxied_app.config["LOGIN_ADDRESS_FREE_FAILURES"]
    for n in range(free):
        _login(proxied_app, f"inconnu{n}@exemple.fr", "devine")
    assert throttle_wait(proxied_app, "203.0.113.5") == 1
    clock.advance(1)
    _login(proxied_app, "encore@exemple.fr", "devine")
    assert throttle_wait(proxied_app, "203.0.113.5") == 2
    assert _wait_message(_login(proxied_app, "admin.cc@tet.test"))  # even the right password
    assert throttle_wait(proxied_app, "203.0.113.6") == 0


def throttle_wait(app, ip: str) -> int:
    with app.app_context():
        return throttle.address_wait(ip)


def test_two_clients_behind_the_same_proxy_are_told_apart(proxied_app, clock):
    for n in range(30):
        _login(proxied_app, f"inconnu{n}@exemple.fr", "devine", client_ip="203.0.113.5")
    assert _wait_message(_login(proxied_app, "admin.cc@tet.test", client_ip="203.0.113.5"))
    assert _login(proxied_app, "admin.cc@tet.test", client_ip="203.0.113.6").status_code == 302


def test_a_forged_forwarded_for_does_not_reset_the_count(proxied_app, app, clock):
    """The proxy appends the real address: the left part (sent by the client) is ignored,
    and without a configured proxy the header is not read at all."""
    for n in range(30):
        _login(proxied_app, f"inconnu{n}@exemple.fr", "devine",
               forwarded=f"198.51.100.{n}, 203.0.113.5")
    assert _wait_message(_login(proxied_app, "admin.cc@tet.test"))
    for n in range(30):
        _login(app, f"autre{n}@exemple.fr", "devine", forwarded=f"198.51.100.{n}")
    assert _wait_message(_login(app, "admin.cc@tet.test", forwarded="198.51.100.99"))


def test_the_per_email_lock_stays(proxied_app, clock):
    for n in range(proxied_app.config["LOGIN_MAX_FAILURES"]):
        _login(proxied_app, "admin.ville@tet.test", "devine", client_ip=f"198.51.100.{n}")
    locked = _login(proxied_app, "admin.ville@tet.test", client_ip="198.51.100.77")
    assert any("Trop de tentatives de connexion" in m for m in flashes(locked))
    clock.advance(proxied_app.config["LOGIN_LOCK_MINUTES"] * 60 + 1)
    assert _login(proxied_app, "admin.ville@tet.test", client_ip="198.51.100.77"
                  ).status_code == 302
