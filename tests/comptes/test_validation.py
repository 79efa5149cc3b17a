"""The first admin of a SIREN waits for the national support: a queue, accept, refuse with
a reason; until then the membership gives nothing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import flashes, login
from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.comptes.permissions import build_acteur
from tet.comptes.siren import with_check_digit

NEW_SIREN = with_check_digit("21570042")
PASSWORD = "un-mot-de-passe-long"


def _request(app, outbox, email="nina@neuville.fr", fonction="Directrice générale des "
             "services (DGS)"):
    """A visitor asks for a new collectivité's account and follows the e-mailed link."""
    client = app.test_client()
    client.post("/inscription", data={
        "identifiant": NEW_SIREN, "nom": "Commune de Neuville", "type": "commune",
        "departement": "57", "prenom": "Nina", "nom_user": "Neuville", "email": email,
        "fonction": fonction})
    mail = [m for m in outbox if m["to"] == [email]][-1]
    link = re.search(r"https?://[^/\s]+(/inscription/confirmer/\S+)", mail["body"]).group(1)
    assert client.post(link, data={"password": PASSWORD, "confirm": PASSWORD}
                       ).status_code == 302
    with app.app_context():
        return db.session.scalar(select(Membership.id).join(User).where(
            User.email == email))


def _membership(app, pk):
    with app.app_context():
        return db.session.get(Membership, pk)


def test_pending_membership_is_no_membership(app, outbox):
    pk = _request(app, outbox)
    with app.app_context():
        user = db.session.get(Membership, pk).user
        acteur = build_acteur(user)
        assert acteur.contexte is None and acteur.contextes == [] and not acteur.has_access
    client = app.test_client()
    assert login(client, "nina@neuville.fr", PASSWORD).status_code == 302
    assert "en attente de validation" in client.get("/admin/").get_data(as_text=True)
    for url in ("/admin/collectivite/", "/admin/plan/", "/admin/fiche/", "/admin/indicateur/",
                "/admin/inspiration/", "/admin/maturite/", "/admin/validations/"):
        assert client.get(url).status_code == 403, url


def test_support_sees_the_queue_on_its_home_page_and_in_a_list(app, outbox, login_as):
    _request(app, outbox)
    support = login_as("support")
    for url in ("/admin/", "/admin/validations/"):
        page = support.get(url).get_data(as_text=True)
        queue = page[page.index('id="file-validation"'):]
        for shown in ("Commune de Neuville", NEW_SIREN, "nina@neuville.fr",
                      "Directrice générale des services (DGS)"):
            assert shown in queue, (url, shown)
    assert "Comptes à valider" in support.get("/admin/").get_data(as_text=True)


def test_support_accepts_and_the_requester_becomes_admin(app, outbox, login_as):
    pk = _request(app, outbox)
    response = login_as("support").post(f"/admin/validations/{pk}/accepter")
    assert response.status_code == 302
    with app.app_context():
        m = db.session.get(Membership, pk)
        assert m.statut == "validee" and m.collectivite.statut == "validee"
    mail = outbox[-1]
    assert mail["to"] == ["nina@neuville.fr"] and "validé" in mail["subject"]
    assert "http://127.0.0.1:5000/connexion" in mail["body"]
    client = app.test_client()
    login(client, "nina@neuville.fr", PASSWORD)
    assert "Commune de Neuville · Admin" in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/membership/").status_code == 200


def test_support_refuses_with_a_reason_e_mailed(app, outbox, login_as):
    pk = _request(app, outbox)
    support = login_as("support")
    no_reason = support.post(f"/admin/validations/{pk}/refuser", data={"motif": "  "},
                             follow_redirects=True)
    assert "Indiquez le motif du refus" in " ".join(flashes(no_reason))
    assert _membership(app, pk).statut == "en_attente"
    support.post(f"/admin/validations/{pk}/refuser",
                 data={"motif": "Adresse personnelle : écrivez depuis la mairie."})
    with app.app_context():
        assert db.session.get(Membership, pk) is None
        assert db.session.scalar(select(Collectivite).where(
            Collectivite.siren == NEW_SIREN)) is None  # the SIREN is free again
    mail = outbox[-1]
    assert mail["to"] == ["nina@neuville.fr"] and "refusée" in mail["subject"]
    assert "Adresse personnelle : écrivez depuis la mairie." in mail["body"]
    again = support.post(f"/admin/validations/{pk}/accepter", follow_redirects=True)
    assert "déjà été traitée" in " ".join(flashes(again))


def test_not_first_come_first_served(app, outbox, login_as):
    """Two people ask for the same new SIREN: both wait, the support chooses."""
    first = _request(app, outbox, email="intrus@exemple.fr", fonction="Élu·e")
    second = _request(app, outbox, email="dgs@neuville.fr")
    assert _membership(app, first).collectivite_id == _membership(app, second).collectivite_id
    support = login_as("support")
    support.post(f"/admin/validations/{second}/accepter")
    support.post(f"/admin/validations/{first}/refuser", data={"motif": "Inconnu."})
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == NEW_SIREN))
        assert [m.user.email for m in coll.memberships] == ["dgs@neuville.fr"]
    intrus = app.test_client()
    login(intrus, "intrus@exemple.fr", PASSWORD)
    assert "Commune de Neuville" not in intrus.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["opsn_admin", "admin_cc", "edition_cc", "lecture_cc",
                                  "admin_ville"])
def test_only_the_support_decides(app, outbox, login_as, role):
    pk = _request(app, outbox)
    client = login_as(role)
    assert client.get("/admin/validations/").status_code == 403
    assert client.post(f"/admin/validations/{pk}/accepter").status_code == 403
    assert client.post(f"/admin/validations/{pk}/refuser",
                       data={"motif": "x"}).status_code == 403
    assert _membership(app, pk).statut == "en_attente"


def test_the_requester_cannot_accept_their_own_request(app, outbox):
    pk = _request(app, outbox)
    client = app.test_client()
    login(client, "nina@neuville.fr", PASSWORD)
    assert client.post(f"/admin/validations/{pk}/accepter").status_code == 403
    assert _membership(app, pk).statut == "en_attente"


def test_a_collectivite_admin_does_not_see_a_pending_request(app, outbox, login_as, ids):
    """Support added an admin meanwhile: the pending request stays the support's."""
    pk = _request(app, outbox)
    with app.app_context():
        m = db.session.get(Membership, pk)
        cid = m.collectivite_id
        admin = db.session.scalar(select(User).where(User.email == "admin.ville@tet.test"))
        db.session.add(Membership(user_id=admin.id, collectivite_id=cid, niveau="admin"))
        db.session.commit()
    client = login_as("admin_ville")
    client.post("/contexte", data={"contexte": f"collectivite:{cid}"})
    listing = client.get("/admin/membership/").get_data(as_text=True)
    assert "admin.ville@tet.test" in listing and "nina@neuville.fr" not in listing
    assert client.get(f"/admin/membership/edit/?id={pk}").status_code == 404


def test_a_refused_requester_may_ask_again_once_signed_in(app, outbox, login_as):
    pk = _request(app, outbox)
    login_as("support").post(f"/admin/validations/{pk}/refuser", data={"motif": "Doublon."})
    client = app.test_client()
    login(client, "nina@neuville.fr", PASSWORD)
    client.post("/demande-acces", data={"identifiant": NEW_SIREN, "nom": "Commune de Neuville",
                                        "type": "commune", "fonction": "DGS"})
    with app.app_context():
        m = db.session.scalar(select(Membership).join(User).where(
            User.email == "nina@neuville.fr"))
        assert m.statut == "en_attente" and m.collectivite.siren == NEW_SIREN
    assert "en attente de validation" in client.get("/admin/").get_data(as_text=True)


def test_a_pending_membership_counts_nowhere(app, login_as, ids):
    """Members, admins to notify, pilotes to pick: a pending membership is no membership."""
    from tests import builders
    from tet.plans import fiches
    from tet.comptes import notifications

    with app.app_context():
        user = builders.user("en.attente@tet.test", prenom="Pierre", nom="Attente")
        db.session.add(Membership(user_id=user.id, collectivite_id=ids["cc"], niveau="admin",
                                  statut="en_attente"))
        db.session.commit()
        emails = {u.email for u in notifications.collectivite_admins(ids["cc"])}
        emails |= {u.email for u in notifications.collectivite_writers(ids["cc"])}
        assert "en.attente@tet.test" not in emails and "admin.cc@tet.test" in emails
        assert fiches.members_of(ids["cc"], [user.id]) == []
    admin = login_as("admin_cc")
    for url in ("/admin/user/", "/admin/membership/", "/admin/fiche/new/"):
        assert "Attente" not in admin.get(url).get_data(as_text=True), url
    home = login_as("en.attente@tet.test").get("/admin/").get_data(as_text=True)
    assert "CC du Val Démo · Admin" not in home and "en attente de validation" in home


def test_with_the_official_list_a_request_lands_on_the_official_row(app, outbox, login_as):
    """After ``seed --france``: a SIREN outside the list is refused, an official one needs
    no name and gets its pending admin; refusing keeps the official row."""
    from tests import builders
    from tet.comptes.referentiel import NON_COLLECTIVITE

    with app.app_context():
        official = builders.collectivite("Commune Officielle", source="officiel")
        siren, cid = official.siren, official.id
        db.session.commit()
    client = app.test_client()
    person = {"prenom": "Olga", "nom_user": "O", "email": "olga@officielle.fr",
              "fonction": "Maire"}
    outside = client.post("/inscription", data={**person, "identifiant": NEW_SIREN,
                                                "nom": "Inconnue", "type": "commune"})
    assert NON_COLLECTIVITE in " ".join(flashes(outside)).replace("&#39;", "'")
    assert outbox == []
    client.post("/inscription", data={**person, "identifiant": siren})
    link = re.search(r"https?://[^/\s]+(/inscription/confirmer/\S+)",
                     outbox[-1]["body"]).group(1)
    client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    with app.app_context():
        m = db.session.scalar(select(Membership).where(Membership.collectivite_id == cid))
        assert m.statut == "en_attente" and m.user.email == "olga@officielle.fr"
        pk = m.id
    login_as("support").post(f"/admin/validations/{pk}/refuser", data={"motif": "Non."})
    with app.app_context():
        assert db.session.get(Collectivite, cid) is not None
