"""Self-service sign-up by SIREN / SIRET, and asking to join an existing account."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import flashes, login
from tet.extensions import db
from tet.models import Collectivite, DemandeAdhesion, Membership, Notification, User
from tet.services.siren import with_check_digit

NEW_SIREN = with_check_digit("21570042")


def _form(**overrides):
    data = {"identifiant": NEW_SIREN, "nom": "Commune de Neuville", "type": "commune",
            "departement": "57", "prenom": "Nina", "nom_user": "Neuville",
            "email": "nina@neuville.fr", "password": "un-mot-de-passe-long",
            "confirm": "un-mot-de-passe-long"}
    data.update(overrides)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_signup_creates_the_collectivite_and_its_first_admin(app, client):
    response = client.post("/inscription", data=_form(identifiant=NEW_SIREN[:3] + " " +
                                                      NEW_SIREN[3:]))
    assert response.status_code == 302
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == NEW_SIREN))
        m = db.session.scalar(select(Membership).where(Membership.collectivite_id == coll.id))
        assert coll.departement == "57" and m.niveau == "admin"
        assert db.session.get(User, m.user_id).email == "nina@neuville.fr"
    assert "Commune de Neuville · Admin" in client.get("/admin/").get_data(as_text=True)


def test_siret_is_accepted(app, client):
    siret = with_check_digit(NEW_SIREN + "0001")
    client.post("/inscription", data=_form(identifiant=siret))
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == NEW_SIREN))
        assert coll.siret == siret


@pytest.mark.parametrize("identifiant,message", [
    (NEW_SIREN[:-1] + str((int(NEW_SIREN[-1]) + 1) % 10), "clé de contrôle"),
    ("12345", "exactement 9 chiffres"),
    ("21A570042", "exactement 9 chiffres"),
])
def test_invalid_siren_is_refused_and_nothing_is_created(app, client, identifiant, message):
    before = (_count(app, Collectivite), _count(app, User))
    response = client.post("/inscription", data=_form(identifiant=identifiant))
    assert any(message in m for m in flashes(response))
    assert (_count(app, Collectivite), _count(app, User)) == before


def test_password_rules_are_checked(app, client):
    short = client.post("/inscription", data=_form(password="court", confirm="court"))
    assert any("au moins 10 caractères" in m for m in flashes(short))
    mismatch = client.post("/inscription", data=_form(confirm="autre-chose-longue"))
    assert "Les deux mots de passe diffèrent." in flashes(mismatch)
    assert _count(app, Collectivite) == 4


def test_duplicate_siren_offers_to_ask_the_admins(app, client, outbox):
    response = client.post("/inscription", data=_form(identifiant="200067890"))
    text = response.get_data(as_text=True)
    assert "Cette collectivité a déjà un compte" in text
    assert "/inscription/rejoindre/200067890" in text
    assert _count(app, Collectivite) == 4
    join = client.post("/inscription/rejoindre/200067890", data={
        "prenom": "Paul", "nom_user": "Nouveau", "email": "paul@val-demo.fr",
        "password": "un-mot-de-passe-long", "confirm": "un-mot-de-passe-long",
        "message": "Je suis le nouveau chargé de mission climat."})
    assert join.status_code == 302
    with app.app_context():
        demande = db.session.scalar(select(DemandeAdhesion))
        assert demande.statut == "demandee"
        notified = db.session.scalars(select(User.email).join(
            Notification, Notification.user_id == User.id)).all()
        assert "admin.cc@tet.test" in notified
    assert any("admin.cc@tet.test" in m["to"] for m in outbox)


def test_admin_accepts_the_request_with_a_niveau(app, client, login_as):
    client.post("/inscription/rejoindre/200067890", data={
        "prenom": "Paul", "nom_user": "Nouveau", "email": "paul@val-demo.fr",
        "password": "un-mot-de-passe-long", "confirm": "un-mot-de-passe-long"})
    with app.app_context():
        demande_id = db.session.scalar(select(DemandeAdhesion.id))
    assert login_as("edition_cc").post(
        f"/admin/demandeadhesion/{demande_id}/accepter").status_code == 403
    admin = login_as("admin_cc")
    assert "paul@val-demo.fr" in admin.get("/admin/demandeadhesion/").get_data(as_text=True)
    admin.post(f"/admin/demandeadhesion/{demande_id}/accepter", data={"niveau": "edition"})
    newcomer = app.test_client()
    assert login(newcomer, "paul@val-demo.fr", "un-mot-de-passe-long").status_code == 302
    assert "CC du Val Démo · Édition" in newcomer.get("/admin/").get_data(as_text=True)


def test_a_refused_request_creates_no_membership(app, client, login_as):
    client.post("/inscription/rejoindre/216801993", data={
        "prenom": "Zoé", "nom_user": "Z", "email": "zoe@exemple.fr",
        "password": "un-mot-de-passe-long", "confirm": "un-mot-de-passe-long"})
    with app.app_context():
        demande_id = db.session.scalar(select(DemandeAdhesion.id))
    login_as("admin_ville").post(f"/admin/demandeadhesion/{demande_id}/refuser")
    with app.app_context():
        assert db.session.get(DemandeAdhesion, demande_id).statut == "refusee"
        user = db.session.scalar(select(User).where(User.email == "zoe@exemple.fr"))
        assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None
    zoe = app.test_client()
    login(zoe, "zoe@exemple.fr", "un-mot-de-passe-long")
    assert "rattaché à aucune collectivité" in zoe.get("/admin/").get_data(as_text=True)


def test_unknown_siren_join_page_is_404(client):
    assert client.get("/inscription/rejoindre/999999999").status_code == 404
