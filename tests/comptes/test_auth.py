"""Sign-in, sign-out, throttling, password reset, contexte switching, CSRF."""
from __future__ import annotations

import re

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app import create_app
from tests import builders
from tests.conftest import flashes, login
from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.comptes.services import RESET_SALT


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_login_shows_the_collectivite_in_the_header(app, client):
    response = login(client, "ADMIN.CC@TET.TEST")  # e-mail is case-insensitive
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = _text(client.get("/admin/"))
    assert "CC du Val Démo · Admin" in page


def test_wrong_password_is_refused_in_french(app, client):
    response = login(client, "admin.cc@tet.test", "mauvais")
    assert "Adresse e-mail ou mot de passe incorrect." in flashes(response)
    assert client.get("/admin/").status_code == 302  # still anonymous


def test_inactive_user_is_refused(app, client):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "lecture.cc@tet.test")).active = False
        db.session.commit()
    assert login(client, "lecture.cc@tet.test").status_code == 200


def test_logout_is_post_only_and_ends_the_session(app, login_as):
    client = login_as("admin_cc")
    assert client.get("/deconnexion").status_code == 405
    assert client.post("/deconnexion").status_code == 302
    assert "/connexion" in client.get("/admin/").headers["Location"]


def test_throttling_after_repeated_failures(app, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "admin.cc@tet.test", "mauvais")
    response = login(client, "admin.cc@tet.test")  # even the right password
    assert response.status_code == 200
    assert any("Trop de tentatives" in m for m in flashes(response))
    assert login(app.test_client(), "admin.ville@tet.test").status_code == 302


def _reset_link(outbox) -> str:
    return re.search(r"https?://[^/\s]+(/reinitialiser/\S+)", outbox[-1]["body"]).group(1)


def test_password_reset_flow(app, client, outbox):
    client.post("/mot-de-passe-oublie", data={"email": "edition.cc@tet.test"})
    assert len(outbox) == 1 and outbox[0]["to"] == ["edition.cc@tet.test"]
    link = _reset_link(outbox)
    short = client.post(link, data={"password": "court", "confirm": "court"})
    assert "au moins 10 caractères" in _text(short)
    mismatch = client.post(link, data={"password": "un-long-mot-de-passe",
                                       "confirm": "autre-mot-de-passe"})
    assert "Les deux mots de passe diffèrent." in _text(mismatch)
    assert client.post(link, data={"password": "un-long-mot-de-passe",
                                   "confirm": "un-long-mot-de-passe"}).status_code == 302
    assert login(app.test_client(), "edition.cc@tet.test", "un-long-mot-de-passe"
                 ).status_code == 302
    again = client.get(link, follow_redirects=True)  # single use
    assert "il a déjà servi" in _text(again)


def test_unknown_email_gets_the_same_answer_and_a_mail_without_link(app, client, outbox):
    known = client.post("/mot-de-passe-oublie", data={"email": "admin.cc@tet.test"},
                        follow_redirects=True)
    unknown = client.post("/mot-de-passe-oublie", data={"email": "personne@tet.test"},
                          follow_redirects=True)
    assert flashes(known) == flashes(unknown)
    assert _text(known) == _text(unknown)
    # both addresses get one e-mail (same work, comparable time); only the account has a link
    assert [m["to"] for m in outbox] == [["admin.cc@tet.test"], ["personne@tet.test"]]
    assert "/reinitialiser/" not in outbox[1]["body"]
    assert "aucun compte actif" in outbox[1]["body"]


def test_login_answers_the_same_for_an_unknown_address(app, client):
    unknown = login(client, "personne@tet.test", "mauvais")
    wrong = login(app.test_client(), "admin.cc@tet.test", "mauvais")
    assert flashes(unknown) == flashes(wrong) == ["Adresse e-mail ou mot de passe incorrect."]
    assert _text(unknown).replace("personne@", "admin.cc@") == _text(wrong)


def test_login_hashes_a_dummy_password_for_unknown_and_unproven_addresses(app, client,
                                                                          monkeypatch):
    from tet.comptes import services as accounts

    calls = []
    real = accounts.check_password_hash

    def spy(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", spy)
    with app.app_context():
        builders.user("pas.prouvee@tet.test", password="un-mot-de-passe-long", verified=False)
        db.session.commit()
    login(client, "personne@tet.test", "mauvais")
    login(client, "pas.prouvee@tet.test", "un-mot-de-passe-long")
    login(client, "admin.cc@tet.test", "mauvais")
    assert len(calls) == 3
    method = app.config["PASSWORD_HASH_METHOD"]
    assert all(h.startswith(method.split(":")[0] + ":") for h in calls)
    assert calls[0] == calls[1]  # the same dummy hash, computed once


def test_an_unproven_address_cannot_sign_in_until_it_follows_a_link(app, client, outbox):
    with app.app_context():
        builders.user("pas.prouvee@tet.test", password="un-mot-de-passe-long", verified=False)
        db.session.commit()
    refused = login(client, "pas.prouvee@tet.test", "un-mot-de-passe-long")
    assert refused.status_code == 200
    assert flashes(refused) == ["Adresse e-mail ou mot de passe incorrect."]
    client.post("/mot-de-passe-oublie", data={"email": "pas.prouvee@tet.test"})
    client.post(_reset_link(outbox), data={"password": "un-autre-mot-de-passe",
                                           "confirm": "un-autre-mot-de-passe"})
    assert login(app.test_client(), "pas.prouvee@tet.test",
                 "un-autre-mot-de-passe").status_code == 302


def test_expired_and_tampered_tokens_are_refused(app, client):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "admin.cc@tet.test"))
        signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=RESET_SALT)
        token = signer.dumps({"u": user.id, "h": user.password_hash[-12:]})
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        expired = client.get(f"/reinitialiser/{token}", follow_redirects=True)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert "Ce lien a expiré" in _text(expired)
    tampered = client.get(f"/reinitialiser/{token[:-2]}xx", follow_redirects=True)
    assert "Ce lien n&#39;est pas valide." in _text(tampered)
    assert client.get(f"/reinitialiser/{token}").status_code == 200  # still valid in time


def test_next_cannot_redirect_to_another_host(app, client):
    response = client.post("/connexion?next=https://evil.example/x",
                           data={"email": "admin.cc@tet.test", "password": "tet-demo"})
    assert response.headers["Location"].endswith("/admin/")
    response = app.test_client().post("/connexion?next=//evil.example/x",
                                      data={"email": "admin.cc@tet.test", "password": "tet-demo"})
    assert "evil" not in response.headers["Location"]


def test_switching_contexte(app, login_as, ids):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "admin.cc@tet.test"))
        builders.member(user, db.session.get(Collectivite, ids["ville"]), "lecture")
        db.session.commit()
    client = login_as("admin_cc")
    response = client.post("/contexte", data={"contexte": f"collectivite:{ids['ville']}"})
    assert response.status_code == 302
    home = _text(client.get("/admin/"))
    assert re.search(rf'value="collectivite:{ids["ville"]}"\s+selected', home)
    assert re.search(r"<h1[^>]*>Ville d&#39;Exemple</h1>", home)
    listing = _text(client.get("/admin/collectivite/"))
    assert "Liste (1)" in listing and "216890103" in listing and "200099901" not in listing
    assert client.get("/admin/membership/new/").status_code == 403  # lecture there
    assert client.post("/contexte", data={
        "contexte": f"collectivite:{ids['commune1']}"}).status_code == 403


def _csrf_app(app):
    return create_app({key: app.config[key] for key in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PASSWORD_HASH_METHOD")}
        | {"WTF_CSRF_ENABLED": True})


def test_csrf_is_required_on_every_form(app):
    secured = _csrf_app(app)
    client = secured.test_client()
    refused = client.post("/connexion", data={"email": "admin.cc@tet.test",
                                              "password": "tet-demo"})
    assert refused.status_code == 400
    assert "jeton de sécurité" in _text(refused)
    page = _text(client.get("/connexion"))
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"',
                      page).group(1)
    assert client.post("/connexion", data={"email": "admin.cc@tet.test", "password": "tet-demo",
                                           "csrf_token": token}).status_code == 302
    refused = client.post("/admin/membership/new/", data={"email": "x@val.fr",
                                                          "niveau": "lecture"})
    assert refused.status_code == 400
    with secured.app_context():
        assert db.session.scalar(select(User).where(User.email == "x@val.fr")) is None
        db.session.remove()
        db.engine.dispose()


def test_a_changed_address_must_be_proven_again(app, login_as, ids, outbox):
    uid = ids["users"]["lecture.cc@tet.test"]
    support = login_as("support")
    support.post(f"/admin/user/edit/?id={uid}", data={
        "email": "lecture.cc@tet.test", "prenom": "Léa", "nom": "Lecture", "active": "y"})
    with app.app_context():
        assert db.session.get(User, uid).email_verifie  # same address: still proven
    support.post(f"/admin/user/edit/?id={uid}", data={
        "email": "nouvelle.adresse@tet.test", "prenom": "Léa", "nom": "Lecture",
        "active": "y"})
    with app.app_context():
        assert db.session.get(User, uid).email == "nouvelle.adresse@tet.test"
        assert not db.session.get(User, uid).email_verifie
    assert login(app.test_client(), "nouvelle.adresse@tet.test").status_code == 200
    client = app.test_client()
    client.post("/mot-de-passe-oublie", data={"email": "nouvelle.adresse@tet.test"})
    client.post(_reset_link(outbox), data={"password": "un-long-mot-de-passe",
                                           "confirm": "un-long-mot-de-passe"})
    assert login(app.test_client(), "nouvelle.adresse@tet.test",
                 "un-long-mot-de-passe").status_code == 302
