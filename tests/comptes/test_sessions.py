"""Server-side session revocation: a copied session (or remember-me) cookie stops working
after logout, a password change, a password reset or a deactivation."""
from __future__ import annotations

import re

from flask_login.utils import encode_cookie
from sqlalchemy import select

from tests.conftest import login
from tet.extensions import db
from tet.comptes.models import User

DOMAIN = "tet.test"  # SERVER_NAME of the test app


def _replay(app, cookie_name: str, value: str):
    """A new client (another browser, an attacker) holding only a copied cookie."""
    thief = app.test_client()
    thief.set_cookie(cookie_name, value, domain=DOMAIN)
    return thief


def _stolen_session(app, who: str):
    client = app.test_client()
    assert login(client, who).status_code == 302
    value = client.get_cookie("session", domain=DOMAIN).value
    assert _replay(app, "session", value).get("/admin/").status_code == 200  # it works…
    return client, value


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/connexion" in response.headers["Location"]


def _login_ok(app, email: str) -> bool:
    return login(app.test_client(), email).status_code == 302


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_logout_ends_every_session_of_the_user(app):
    client, copied = _stolen_session(app, "admin.cc@tet.test")
    other_device, _ = _stolen_session(app, "admin.cc@tet.test")
    client.post("/deconnexion")
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))
    assert _signed_out(other_device.get("/admin/"))  # all sessions of that user, by design
    assert _login_ok(app, "admin.cc@tet.test")


def test_password_change_by_the_support_ends_the_sessions(app, login_as, ids):
    _client, copied = _stolen_session(app, "lecture.cc@tet.test")
    login_as("support").post(f"/admin/user/edit/?id={ids['users']['lecture.cc@tet.test']}",
                             data={"email": "lecture.cc@tet.test", "prenom": "Léa",
                                   "nom": "Lecture", "active": "y",
                                   "new_password": "nouveau-mot-de-passe"})
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))


def test_changing_ones_own_password_keeps_this_session_only(app, ids):
    client, copied = _stolen_session(app, "support@tet.test")
    client.post(f"/admin/user/edit/?id={ids['users']['support@tet.test']}", data={
        "email": "support@tet.test", "is_support": "y", "active": "y",
        "new_password": "nouveau-mot-de-passe"})
    assert client.get("/admin/").status_code == 200
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))


def test_password_reset_ends_the_sessions(app, outbox):
    _client, copied = _stolen_session(app, "edition.cc@tet.test")
    anonymous = app.test_client()
    anonymous.post("/mot-de-passe-oublie", data={"email": "edition.cc@tet.test"})
    link = re.search(r"https?://[^/\s]+(/reinitialiser/\S+)", outbox[-1]["body"]).group(1)
    assert anonymous.post(link, data={"password": "un-long-mot-de-passe",
                                      "confirm": "un-long-mot-de-passe"}).status_code == 302
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))


def test_deactivation_ends_the_sessions(app, login_as, ids):
    _client, copied = _stolen_session(app, "lecture.cc@tet.test")
    login_as("support").post(f"/admin/user/edit/?id={ids['users']['lecture.cc@tet.test']}",
                             data={"email": "lecture.cc@tet.test", "prenom": "Léa",
                                   "nom": "Lecture"})  # "active" unticked
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))
    with app.app_context():  # reactivated: the old cookie stays dead
        _user("lecture.cc@tet.test").active = True
        db.session.commit()
    assert _signed_out(_replay(app, "session", copied).get("/admin/"))


def test_remember_me_cookie_is_revoked_too(app):
    with app.test_request_context():
        user = _user("admin.cc@tet.test")
        remember = encode_cookie(user.get_id())
        bare_id = encode_cookie(str(user.id))  # the pre-revocation format
    assert _replay(app, "remember_token", remember).get("/admin/").status_code == 200
    assert _signed_out(_replay(app, "remember_token", bare_id).get("/admin/"))
    client = app.test_client()
    login(client, "admin.cc@tet.test")
    client.post("/deconnexion")
    assert _signed_out(_replay(app, "remember_token", remember).get("/admin/"))
