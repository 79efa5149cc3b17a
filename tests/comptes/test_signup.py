"""Sign-up and join requests: nothing exists before the e-mailed link is followed, and the
page answers the same whether or not the address has an account."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from tests import builders
from tests.conftest import flashes, login
from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.comptes.demandes import DemandeAdhesion, Notification
from tet.comptes.inscription import SENT
from tet.comptes.siren import with_check_digit

NEW_SIREN = with_check_digit("21570042")
PASSWORD = "un-mot-de-passe-long"


def _form(**overrides):
    data = {"identifiant": NEW_SIREN, "nom": "Commune de Neuville", "type": "commune",
            "departement": "57", "prenom": "Nina", "nom_user": "Neuville",
            "email": "nina@neuville.fr", "fonction": "Secrétaire de mairie"}
    data.update(overrides)
    return data


def _person(**overrides):
    data = {"prenom": "Paul", "nom_user": "Nouveau", "email": "paul@val-demo.fr",
            "fonction": "Chargé·e de mission climat"}
    data.update(overrides)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _counts(app):
    return tuple(_count(app, m) for m in (Collectivite, User, Membership, DemandeAdhesion))


def _link(outbox, email) -> str:
    mail = [m for m in outbox if m["to"] == [email]][-1]
    return re.search(r"https?://[^/\s]+(/inscription/confirmer/\S+)", mail["body"]).group(1)


def _confirm(client, outbox, email, password=PASSWORD):
    return client.post(_link(outbox, email), data={"password": password, "confirm": password})


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_sign_up_sends_a_link_and_creates_nothing(app, client, outbox):
    before = _counts(app)
    response = client.post("/inscription", data=_form(
        identifiant=NEW_SIREN[:3] + " " + NEW_SIREN[3:]))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/inscription/envoye")
    assert SENT in html.unescape(_text(client.get("/inscription/envoye")))
    assert _counts(app) == before
    assert [m["to"] for m in outbox] == [["nina@neuville.fr"]]
    assert _link(outbox, "nina@neuville.fr").startswith("/inscription/confirmer/")
    assert "http://127.0.0.1:5000/inscription/confirmer/" in outbox[0]["body"]  # PUBLIC_URL


def test_following_the_link_creates_a_collectivite_waiting_for_the_support(app, client,
                                                                             outbox):
    client.post("/inscription", data=_form())
    page = client.get(_link(outbox, "nina@neuville.fr"))
    assert "nina@neuville.fr" in _text(page) and "Secrétaire de mairie" in _text(page)
    response = _confirm(client, outbox, "nina@neuville.fr")
    assert response.status_code == 302
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == NEW_SIREN))
        m = db.session.scalar(select(Membership).where(Membership.collectivite_id == coll.id))
        user = db.session.get(User, m.user_id)
        assert (coll.statut, m.statut, m.niveau) == ("en_attente", "en_attente", "admin")
        assert coll.departement == "57" and coll.nom == "Commune de Neuville"
        assert user.email_verifie and user.fonction == "Secrétaire de mairie"
    home = _text(client.get("/admin/"))  # signed in, but only the waiting page
    assert "en attente de validation par le support national" in home
    assert "Commune de Neuville · Admin" not in home
    assert client.get("/admin/plan/").status_code == 403
    assert client.get("/admin/membership/").status_code == 403
    again = client.get(_link(outbox, "nina@neuville.fr"), follow_redirects=True)
    assert "Ce lien a déjà servi" in " ".join(flashes(again))


def test_siret_is_accepted(app, client, outbox):
    siret = with_check_digit(NEW_SIREN + "0001")
    client.post("/inscription", data=_form(identifiant=siret))
    _confirm(app.test_client(), outbox, "nina@neuville.fr")
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == NEW_SIREN))
        assert coll.siret == siret


@pytest.mark.parametrize("identifiant,message", [
    (NEW_SIREN[:-1] + str((int(NEW_SIREN[-1]) + 1) % 10), "clé de contrôle"),
    ("12345", "exactement 9 chiffres"),
    ("21A570042", "exactement 9 chiffres"),
])
def test_invalid_siren_is_refused_and_nothing_is_sent(app, client, outbox, identifiant,
                                                      message):
    response = client.post("/inscription", data=_form(identifiant=identifiant))
    assert any(message in m for m in flashes(response))
    assert outbox == []


def test_a_new_collectivite_needs_its_name_and_type(app, client, outbox):
    response = client.post("/inscription", data=_form(nom="", type=""))
    assert "indiquez son nom et son type" in " ".join(flashes(response))
    assert outbox == []


def test_the_form_no_longer_takes_a_password(client):
    page = _text(client.get("/inscription"))
    assert 'type="password"' not in page and 'name="fonction"' in page
    assert 'type="password"' not in _text(client.get("/inscription/rejoindre/200099901"))


def test_same_answer_whether_the_address_has_an_account(app, client, outbox):
    new = client.post("/inscription", data=_form())
    known = app.test_client().post("/inscription", data=_form(email="admin.cc@tet.test"))
    assert new.status_code == known.status_code == 302
    assert new.headers["Location"] == known.headers["Location"]
    assert [m["to"] for m in outbox] == [["nina@neuville.fr"], ["admin.cc@tet.test"]]
    existing = outbox[1]["body"]  # the mail tells the owner, and offers a reset
    assert "déjà un compte" in existing and "/reinitialiser/" in existing
    assert "/inscription/confirmer/" not in existing
    assert login(app.test_client(), "admin.cc@tet.test").status_code == 302  # unchanged
    joins = [client.post("/inscription/rejoindre/200099901", data=_person(email=e))
             for e in ("paul@val-demo.fr", "edition.cc@tet.test")]
    assert joins[0].headers["Location"] == joins[1].headers["Location"]
    assert _count(app, DemandeAdhesion) == 0


def test_join_request_reaches_the_admins_only_after_the_link(app, client, outbox, login_as):
    response = client.post("/inscription/rejoindre/200099901", data=_person(
        message="Je suis le nouveau chargé de mission climat."))
    assert response.status_code == 302
    assert _count(app, DemandeAdhesion) == 0 and _count(app, Notification) == 0
    assert [m["to"] for m in outbox] == [["paul@val-demo.fr"]]
    _confirm(client, outbox, "paul@val-demo.fr")
    with app.app_context():
        demande = db.session.scalar(select(DemandeAdhesion))
        assert demande.statut == "demandee" and "climat" in demande.message
        notified = db.session.scalars(select(User.email).join(
            Notification, Notification.user_id == User.id)).all()
        assert notified == ["admin.cc@tet.test"]
    mail = next(m for m in outbox if m["to"] == ["admin.cc@tet.test"])
    assert "adresse vérifiée" in mail["body"] and "Chargé·e de mission climat" in mail["body"]
    assert "en attente de la décision de ses administrateurs" in _text(client.get("/admin/"))


def test_sign_up_with_a_known_siren_becomes_a_join_request(app, client, outbox):
    client.post("/inscription", data=_form(identifiant="200099901", nom="", type=""))
    _confirm(client, outbox, "nina@neuville.fr")
    with app.app_context():
        demande = db.session.scalar(select(DemandeAdhesion))
        assert demande.collectivite.siren == "200099901"
        assert db.session.scalar(select(func.count(Collectivite.id))) == 4


def test_admin_accepts_the_request_with_a_niveau(app, client, login_as, outbox):
    client.post("/inscription/rejoindre/200099901", data=_person())
    _confirm(app.test_client(), outbox, "paul@val-demo.fr")
    with app.app_context():
        demande_id = db.session.scalar(select(DemandeAdhesion.id))
    assert login_as("edition_cc").post(
        f"/admin/demandeadhesion/{demande_id}/accepter").status_code == 403
    admin = login_as("admin_cc")
    assert "paul@val-demo.fr" in admin.get("/admin/demandeadhesion/").get_data(as_text=True)
    admin.post(f"/admin/demandeadhesion/{demande_id}/accepter", data={"niveau": "edition"})
    newcomer = app.test_client()
    assert login(newcomer, "paul@val-demo.fr", PASSWORD).status_code == 302
    assert "CC du Val Démo · Édition" in newcomer.get("/admin/").get_data(as_text=True)


def test_a_refused_request_creates_no_membership(app, client, login_as, outbox):
    client.post("/inscription/rejoindre/216890103", data=_person(email="zoe@exemple.fr"))
    _confirm(app.test_client(), outbox, "zoe@exemple.fr")
    with app.app_context():
        demande_id = db.session.scalar(select(DemandeAdhesion.id))
    login_as("admin_ville").post(f"/admin/demandeadhesion/{demande_id}/refuser")
    with app.app_context():
        assert db.session.get(DemandeAdhesion, demande_id).statut == "refusee"
        user = db.session.scalar(select(User).where(User.email == "zoe@exemple.fr"))
        assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None
    zoe = app.test_client()
    login(zoe, "zoe@exemple.fr", PASSWORD)
    assert "rattaché à aucune collectivité" in zoe.get("/admin/").get_data(as_text=True)
    assert zoe.get("/admin/inspiration/").status_code == 403


def test_unknown_siren_join_page_is_404(client):
    assert client.get("/inscription/rejoindre/999999999").status_code == 404


def test_expired_and_tampered_links_are_refused(app, client, outbox):
    client.post("/inscription", data=_form())
    link = _link(outbox, "nina@neuville.fr")
    tampered = client.get(link[:-3] + "xyz", follow_redirects=True)
    assert "Ce lien n'est pas valide." in " ".join(flashes(tampered)).replace("&#39;", "'")
    app.config["SIGNUP_TOKEN_MAX_AGE"] = -1
    try:
        expired = client.post(link, data={"password": PASSWORD, "confirm": PASSWORD},
                              follow_redirects=True)
    finally:
        app.config["SIGNUP_TOKEN_MAX_AGE"] = 48 * 3600
    assert "Ce lien a expiré" in " ".join(flashes(expired))
    assert _count(app, Collectivite) == 4


def test_anonymous_sign_up_then_invitation_gives_the_intruder_nothing(app, outbox,
                                                                      login_as, ids):
    """The audit's attack: an intruder signs up a future colleague's address with a password
    of their choosing and keeps the session; the admin later invites that address."""
    intruder = app.test_client()
    intruder.post("/inscription", data=_form(identifiant="200099901", nom="", type="",
                                             email="collegue@val-demo.fr",
                                             password="choisi-par-l-intrus",
                                             confirm="choisi-par-l-intrus"))
    assert login(intruder, "collegue@val-demo.fr", "choisi-par-l-intrus").status_code == 200
    login_as("admin_cc").post("/admin/membership/new/", data={
        "email": "collegue@val-demo.fr", "niveau": "edition"})
    assert "/connexion" in intruder.get("/admin/").headers["Location"]
    assert intruder.get("/admin/fiche/").status_code == 302
    refused = login(intruder, "collegue@val-demo.fr", "choisi-par-l-intrus")
    assert refused.status_code == 200
    assert "/connexion" in intruder.get("/admin/").headers["Location"]
    # the owner of the address gets in through the invitation link only
    invitation = next(m for m in outbox if m["subject"].startswith("Invitation"))
    link = re.search(r"https?://[^/\s]+(/reinitialiser/\S+)", invitation["body"]).group(1)
    owner = app.test_client()
    owner.post(link, data={"password": "le-vrai-mot-de-passe", "confirm":
                           "le-vrai-mot-de-passe"})
    assert login(owner, "collegue@val-demo.fr", "le-vrai-mot-de-passe").status_code == 302
    assert "CC du Val Démo · Édition" in _text(owner.get("/admin/"))


def test_invitation_of_an_unproven_account_drops_its_password(app, outbox, login_as):
    """An account whose address was never proven (made by someone else) gets nothing from
    an invitation: its password is dropped and the owner must follow the link."""
    with app.app_context():
        session_id = builders.user("collegue@val-demo.fr", password="choisi-par-l-intrus",
                                   verified=False).get_id()
        db.session.commit()
    intruder = app.test_client()  # even a session forged for that account is worthless
    with intruder.session_transaction() as sess:
        sess["_user_id"] = session_id
        sess["_fresh"] = True
    assert "/connexion" in intruder.get("/admin/").headers["Location"]
    login_as("admin_cc").post("/admin/membership/new/", data={
        "email": "collegue@val-demo.fr", "niveau": "edition"})
    assert "/connexion" in intruder.get("/admin/").headers["Location"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "collegue@val-demo.fr"))
        assert user.password_hash is None and not user.email_verifie
    assert login(app.test_client(), "collegue@val-demo.fr",
                 "choisi-par-l-intrus").status_code == 200
    assert "/reinitialiser/" in outbox[-1]["body"]


def test_invitation_of_a_proven_account_adds_the_membership(app, outbox, login_as, ids):
    login_as("admin_cc").post("/admin/membership/new/", data={
        "email": "admin.ville@tet.test", "niveau": "lecture"})
    assert "/reinitialiser/" not in outbox[-1]["body"]
    assert login(app.test_client(), "admin.ville@tet.test").status_code == 302


def test_a_signed_in_user_asks_for_another_collectivite(app, login_as, outbox):
    with app.app_context():
        builders.user("sans.acces@tet.test")
        db.session.commit()
    client = login_as("sans.acces@tet.test")
    assert "/demande-acces" in _text(client.get("/admin/"))
    form = {"identifiant": "200099901", "fonction": "Chargé·e de mission", "message": "Bonjour"}
    response = client.post("/demande-acces", data=form, follow_redirects=True)
    assert "transmise aux administrateurs" in " ".join(flashes(response))
    with app.app_context():
        demande = db.session.scalar(select(DemandeAdhesion))
        assert demande.user.email == "sans.acces@tet.test" and demande.user.fonction
    assert any(m["to"] == ["admin.cc@tet.test"] for m in outbox)
    again = client.post("/demande-acces", data=form, follow_redirects=True)
    assert "déjà accès à cette collectivité, ou une demande en attente" in " ".join(
        flashes(again))
    assert _count(app, DemandeAdhesion) == 1
    bad = client.post("/demande-acces", data=dict(form, identifiant="123"))
    assert any("9 chiffres" in m for m in flashes(bad))


def test_the_signed_in_request_page_needs_a_login(client):
    assert "/connexion" in client.get("/demande-acces").headers["Location"]
