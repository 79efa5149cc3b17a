"""A collectivité admin manages its own members: invite, change niveau, remove."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import flashes, login
from tet.extensions import db
from tet.comptes.models import Membership, User


def _membership(app, email, collectivite_id):
    with app.app_context():
        return db.session.scalar(select(Membership).join(User).where(
            User.email == email, Membership.collectivite_id == collectivite_id))


def test_invite_a_newcomer_who_chooses_a_password(app, login_as, ids, outbox):
    client = login_as("admin_cc")
    response = client.post("/admin/membership/new/",
                           data={"email": "Nouvelle.Agente@Val-Demo.fr", "niveau": "edition"})
    assert response.status_code == 302
    m = _membership(app, "nouvelle.agente@val-demo.fr", ids["cc"])
    assert m is not None and m.niveau == "edition"
    mail = next(m for m in outbox if "nouvelle.agente@val-demo.fr" in m["to"])
    link = re.search(r"https?://[^/\s]+(/reinitialiser/\S+)", mail["body"]).group(1)
    anonymous = app.test_client()
    anonymous.post(link, data={"password": "un-mot-de-passe-sur", "confirm":
                               "un-mot-de-passe-sur"})
    assert login(app.test_client(), "nouvelle.agente@val-demo.fr",
                 "un-mot-de-passe-sur").status_code == 302


def test_invite_an_existing_user_and_refuse_a_duplicate(app, login_as, ids):
    client = login_as("admin_cc")
    client.post("/admin/membership/new/", data={"email": "admin.ville@tet.test",
                                                "niveau": "lecture"})
    assert _membership(app, "admin.ville@tet.test", ids["cc"]).niveau == "lecture"
    again = client.post("/admin/membership/new/", data={"email": "admin.ville@tet.test",
                                                        "niveau": "admin"},
                        follow_redirects=True)
    assert "déjà membre" in " ".join(flashes(again))
    assert _membership(app, "admin.ville@tet.test", ids["cc"]).niveau == "lecture"


def test_invalid_email_is_refused_in_french(app, login_as, ids):
    response = login_as("admin_cc").post("/admin/membership/new/",
                                         data={"email": "pas-une-adresse", "niveau": "lecture"})
    assert "Adresse e-mail invalide." in response.get_data(as_text=True)


def test_change_niveau_and_remove(app, login_as, ids):
    client = login_as("admin_cc")
    m = _membership(app, "lecture.cc@tet.test", ids["cc"])
    client.post(f"/admin/membership/edit/?id={m.id}", data={"niveau": "edition"})
    assert _membership(app, "lecture.cc@tet.test", ids["cc"]).niveau == "edition"
    client.post("/admin/membership/delete/", data={"id": m.id})
    assert _membership(app, "lecture.cc@tet.test", ids["cc"]) is None
    with app.app_context():  # the person keeps their account
        assert db.session.scalar(select(User).where(User.email == "lecture.cc@tet.test"))


def test_the_last_admin_cannot_be_demoted_or_removed(app, login_as, ids):
    client = login_as("admin_ville")
    m = _membership(app, "admin.ville@tet.test", ids["ville"])
    page = client.post(f"/admin/membership/edit/?id={m.id}", data={"niveau": "lecture"},
                       follow_redirects=True)
    assert "au moins un administrateur" in page.get_data(as_text=True)
    client.post("/admin/membership/delete/", data={"id": m.id})
    assert _membership(app, "admin.ville@tet.test", ids["ville"]).niveau == "admin"


def test_admin_cannot_touch_members_of_another_collectivite(app, login_as, ids):
    m = _membership(app, "admin.ville@tet.test", ids["ville"])
    client = login_as("admin_cc")
    assert client.post(f"/admin/membership/edit/?id={m.id}",
                       data={"niveau": "lecture"}).status_code == 404
    assert client.post("/admin/membership/delete/", data={"id": m.id}).status_code == 404
    assert _membership(app, "admin.ville@tet.test", ids["ville"]).niveau == "admin"


def test_support_adds_a_member_anywhere_by_siren(app, login_as, ids):
    client = login_as("support")
    client.post("/admin/membership/new/", data={"email": "renfort@tet.test",
                                                "niveau": "admin", "siren": "216890103"})
    assert _membership(app, "renfort@tet.test", ids["ville"]).niveau == "admin"


def test_opsn_admin_invites_an_agent(app, login_as, ids):
    from tet.comptes.models import OpsnMembership

    login_as("opsn_admin").post("/admin/opsnmembership/new/",
                                data={"email": "agent@opsn-demo.fr", "role": "membre"})
    with app.app_context():
        m = db.session.scalar(select(OpsnMembership).join(User).where(
            User.email == "agent@opsn-demo.fr"))
        assert m.opsn_id == ids["opsn"] and m.role == "membre"
