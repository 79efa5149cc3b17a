"""Rattachement state machine, through the back-office as each side would use it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn, User
from tet.comptes.demandes import Notification, Rattachement
from tet.comptes import rattachement as service


def _statut(app, ratt_id):
    with app.app_context():
        return db.session.get(Rattachement, ratt_id).statut


def _notified(app, email) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(Notification.message).join(User, User.id == Notification.user_id)
            .where(User.email == email)))


def test_opsn_admin_accepts_a_pending_request(app, login_as, ids, outbox):
    client = login_as("opsn_admin")
    page = client.get("/admin/")
    assert "Ville d&#39;Exemple" in page.get_data(as_text=True)  # pending list on dashboard
    response = client.post(f"/admin/rattachement/{ids['ratt_ville']}/accepter")
    assert response.status_code == 302
    assert _statut(app, ids["ratt_ville"]) == "acceptee"
    assert any("Rattachement de Ville d'Exemple à OPSN Démo : accepté." in m
               for m in _notified(app, "admin.ville@tet.test"))  # agreed: « un rattachement »
    assert any("admin.ville@tet.test" in mail["to"] for mail in outbox)


def test_opsn_agent_may_refuse_but_a_collectivite_cannot_decide(app, login_as, ids):
    with app.app_context():
        agent = builders.user("agent.opsn@tet.test")
        builders.opsn_member(agent, db.session.get(Opsn, ids["opsn"]), "membre")
        db.session.commit()
    assert login_as("admin_ville").post(
        f"/admin/rattachement/{ids['ratt_ville']}/accepter").status_code == 403
    assert _statut(app, ids["ratt_ville"]) == "demandee"
    assert login_as("agent.opsn@tet.test").post(
        f"/admin/rattachement/{ids['ratt_ville']}/refuser").status_code == 302
    assert _statut(app, ids["ratt_ville"]) == "refusee"


def test_collectivite_cancels_then_requests_again(app, login_as, ids, outbox):
    client = login_as("admin_ville")
    assert client.post(f"/admin/rattachement/{ids['ratt_ville']}/annuler").status_code == 302
    assert _statut(app, ids["ratt_ville"]) == "annulee"
    form = client.get("/admin/rattachement/demander/").get_data(as_text=True)
    assert "OPSN Démo" in form
    outbox.clear()
    response = client.post("/admin/rattachement/demander/",
                           data={"opsn_id": ids["opsn"], "message": "Bonjour"})
    assert response.status_code == 302
    with app.app_context():
        active = service.active_for(ids["ville"])
        assert active is not None and active.statut == "demandee"
    assert any("demande un rattachement" in m for m in _notified(app, "opsn.admin@tet.test"))
    assert [m for m in outbox if "opsn.admin@tet.test" in m["to"]]


def test_second_active_request_is_refused(app, login_as, ids):
    client = login_as("admin_cc")  # the CC already has an accepted rattachement
    page = client.post("/admin/rattachement/demander/", data={"opsn_id": ids["opsn"]})
    assert "déjà en cours" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Rattachement.id)).where(
            Rattachement.collectivite_id == ids["cc"])) == 1


def test_opsn_must_serve_the_departement(app, login_as, ids):
    with app.app_context():
        autre = builders.opsn("OPSN Lorraine", ["57"])
        db.session.commit()
        autre_id = autre.id
    client = login_as("admin_ville")
    client.post(f"/admin/rattachement/{ids['ratt_ville']}/annuler")
    page = client.get("/admin/rattachement/demander/").get_data(as_text=True)
    assert f'id="opsn-{autre_id}"' not in page and f'id="opsn-{ids["opsn"]}"' in page
    response = client.post("/admin/rattachement/demander/", data={"opsn_id": autre_id})
    assert "dessert votre département" in response.get_data(as_text=True)
    with app.app_context():
        assert service.active_for(ids["ville"]) is None


def test_either_side_ends_an_accepted_rattachement(app, login_as, ids):
    assert login_as("admin_cc").post(
        f"/admin/rattachement/{ids['ratt_cc']}/terminer").status_code == 302
    assert _statut(app, ids["ratt_cc"]) == "terminee"
    assert any("terminé." in m for m in _notified(app, "opsn.admin@tet.test"))


def test_lecture_and_edition_cannot_act(app, login_as, ids):
    for role in ("lecture_cc", "edition_cc"):
        client = login_as(role)
        assert client.post(f"/admin/rattachement/{ids['ratt_cc']}/terminer").status_code == 403
        assert client.get("/admin/rattachement/demander/").status_code == 403
    assert _statut(app, ids["ratt_cc"]) == "acceptee"


def test_an_unknown_opsn_cannot_touch_another_opsn_request(app, login_as, ids):
    with app.app_context():
        autre = builders.opsn("OPSN Autre", ["68"])
        builders.opsn_member(builders.user("admin.autre@tet.test"), autre, "admin")
        db.session.commit()
    client = login_as("admin.autre@tet.test")
    assert client.post(f"/admin/rattachement/{ids['ratt_ville']}/accepter").status_code == 404
    assert _statut(app, ids["ratt_ville"]) == "demandee"


@pytest.mark.parametrize("action,start", [("accepter", "acceptee"), ("refuser", "acceptee"),
                                          ("terminer", "demandee"), ("annuler", "refusee")])
def test_service_refuses_transitions_from_the_wrong_state(app, ids, action, start):
    with app.app_context():
        ratt = db.session.get(Rattachement, ids["ratt_ville"])
        ratt.statut = start
        db.session.commit()
        with pytest.raises(service.RattachementError):
            service.transition(ratt, action, db.session.scalar(select(User)))


def test_database_refuses_two_active_rattachements(app, ids):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        coll = db.session.get(Collectivite, ids["cc"])
        builders_opsn = builders.opsn("OPSN Bis", ["67"])
        db.session.add(Rattachement(collectivite_id=coll.id, opsn_id=builders_opsn.id,
                                    statut="demandee"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_request_page_shows_the_map_of_served_departements(app, login_as, ids):
    client = login_as("admin_ville")
    client.post(f"/admin/rattachement/{ids['ratt_ville']}/annuler")
    page = client.get("/admin/rattachement/demander/").get_data(as_text=True)
    assert page.count("<path") >= 96
    assert "Haut-Rhin (68) : OPSN Démo" in page and "Ain (01) : aucun OPSN" in page
    assert "CC-BY-4.0" in page
