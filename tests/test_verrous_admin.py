"""Stale saves on the Flask-Admin edit forms (plan, collectivité), with two sessions."""
from __future__ import annotations

from html import unescape

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.formulaires import conflict_forms, form_fields, replace
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite
from tet.plans.models import Plan


def _has(name):
    return lambda form: any(k == name for k, _v in form["fields"])


def _open(client, url):
    return form_fields(client.get(url).get_data(as_text=True), _has("version"))


def _plan_id(app, ids):
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.collectivite_id == ids["cc"])
                                 .order_by(Plan.id))


def _last_entry(app, kind, oid):
    with app.app_context():
        return db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == kind, AuditLog.object_id == oid)
            .order_by(AuditLog.id.desc())).first()


def test_plan_edit_conflict_then_merge(app, ids, login_as):
    pid = _plan_id(app, ids)
    url = f"/admin/plan/edit/?id={pid}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _open(edition, url), _open(admin, url)
    assert edition.post(url, data=MultiDict(replace(form_e, description="Version E"))
                        ).status_code == 302
    refused = admin.post(url, data=MultiDict(replace(form_a, nom="Plan renommé par A",
                                                     description="Version A")))
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Rien n'a été enregistré" in html and "Version E" in html
    with app.app_context():
        assert db.session.get(Plan, pid).description == "Version E"
    merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(merge + [("verrou_choix-description", "autre")])
                      ).status_code == 302
    with app.app_context():
        plan = db.session.get(Plan, pid)
        assert (plan.nom, plan.description) == ("Plan renommé par A", "Version E")
    assert _last_entry(app, "Plan", pid).user_email == "admin.cc@tet.test"


def test_plan_edit_keep_mine_and_take_theirs(app, ids, login_as):
    pid = _plan_id(app, ids)
    url = f"/admin/plan/edit/?id={pid}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _open(edition, url), _open(admin, url)
    edition.post(url, data=MultiDict(replace(form_e, description="Version E")))
    refused = admin.post(url, data=MultiDict(replace(form_a, description="Version A")))
    html = unescape(refused.get_data(as_text=True))
    assert f'href="/admin/plan/{pid}/arbre">Prendre la version de l' in html
    _merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(keep)).status_code == 302
    with app.app_context():
        assert db.session.get(Plan, pid).description == "Version A"


def test_collectivite_edit_conflict(app, ids, login_as):
    url = f"/admin/collectivite/edit/?id={ids['cc']}"
    support, admin = login_as("support"), login_as("admin_cc")
    form_s, form_a = _open(support, url), _open(admin, url)
    assert support.post(url, data=MultiDict(replace(form_s, population="30000"))
                        ).status_code == 302
    refused = admin.post(url, data=MultiDict(replace(form_a, population="26000",
                                                     region="Alsace")))
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "30000" in html and "support@tet.test" in html
    assert "enregistré" not in html.replace("Rien n'a été enregistré", "")
    merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(merge + [("verrou_choix-population", "autre")])
                      ).status_code == 302
    with app.app_context():
        coll = db.session.get(Collectivite, ids["cc"])
        assert (coll.population, coll.region) == (30000, "Alsace")
    assert _last_entry(app, "Collectivite", ids["cc"]).changes == {
        "region": ["Grand Est", "Alsace"]}


def _axe(app, pid):
    from tet.plans.models import Axe

    with app.app_context():
        axe = db.session.scalar(select(Axe).where(Axe.plan_id == pid,
                                                  Axe.parent_id.is_not(None)).order_by(Axe.id))
        return axe.id, axe.nom, axe.version


def _rename_form(client, pid, axe_id):
    """The rename form of the axe's page, as shown (with the axe's version and base)."""
    from tests.formulaires import forms_of

    html = client.get(f"/admin/plan/{pid}/axe/{axe_id}").get_data(as_text=True)
    fields = next(f["fields"] for f in forms_of(html) if ("op", "renommer") in f["fields"]
                  and ("axe_id", str(axe_id)) in f["fields"])
    assert any(k == "version" for k, _v in fields) and any(k == "verrou_base"
                                                          for k, _v in fields)
    return dict(fields)


def test_axe_rename_conflict(app, ids, login_as):
    from tet.plans.models import Axe

    pid = _plan_id(app, ids)
    axe_id, nom, version = _axe(app, pid)
    url = f"/admin/plan/{pid}/axe"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    shown_e, shown_a = _rename_form(edition, pid, axe_id), _rename_form(admin, pid, axe_id)
    assert shown_e["nom"] == nom
    assert edition.post(url, data={**shown_e, "nom": "Titre E"}).status_code == 302
    refused = admin.post(url, data={**shown_a, "nom": "Titre A"})
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "Titre E" in html and "Titre A" in html
    assert "edition.cc@tet.test" in html and "renommé" not in html
    with app.app_context():
        assert db.session.get(Axe, axe_id).nom == "Titre E"
    merge, keep = conflict_forms(refused.get_data(as_text=True))
    # take theirs through the merge: nothing changes; keep mine: my title
    assert admin.post(url, data=MultiDict(merge + [("verrou_choix-nom", "autre")])
                      ).status_code == 302
    with app.app_context():
        assert db.session.get(Axe, axe_id).nom == "Titre E"
    assert admin.post(url, data=MultiDict(keep)).status_code == 302
    with app.app_context():
        assert db.session.get(Axe, axe_id).nom == "Titre A"
    assert _last_entry(app, "Axe", axe_id).user_email == "admin.cc@tet.test"


def test_axe_rename_after_a_move_is_not_a_conflict(app, ids, login_as):
    """The other person only moved the axe: the title they did not touch is renamed."""
    from tet.plans.models import Axe

    pid = _plan_id(app, ids)
    axe_id, nom, version = _axe(app, pid)
    url = f"/admin/plan/{pid}/axe"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    shown = _rename_form(admin, pid, axe_id)
    edition.post(url, data={"op": "descendre", "axe_id": axe_id})
    with app.app_context():
        assert db.session.get(Axe, axe_id).version > version
    assert admin.post(url, data={**shown, "nom": "Titre A"}).status_code == 302
    with app.app_context():
        assert db.session.get(Axe, axe_id).nom == "Titre A"
