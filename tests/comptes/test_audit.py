"""The audit log records who changed which fields (old → new), readable by the right people."""
from __future__ import annotations

from sqlalchemy import select

from tests.formulaires import with_version
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, User


def _entries(app, **filters):
    with app.app_context():
        return list(db.session.scalars(select(AuditLog).filter_by(**filters)
                                       .order_by(AuditLog.id)))


def test_back_office_edit_records_who_and_which_fields(app, login_as, ids):
    client = login_as("admin_cc")
    response = client.post(f"/admin/collectivite/edit/?id={ids['cc']}", data=with_version(
        app, Collectivite, ids["cc"], {
            "nom": "CC du Val Démo", "type": "cc", "siret": "", "code_insee": "",
            "departement": "67", "region": "Grand Est", "population": "25100"}))
    assert response.status_code == 302
    entry = _entries(app, object_type="Collectivite", action="update")[-1]
    assert entry.user_email == "admin.cc@tet.test"
    assert entry.object_id == ids["cc"] and entry.collectivite_id == ids["cc"]
    assert entry.changes["population"] == [24850, 25100]
    assert "nom" not in entry.changes  # unchanged fields are not recorded
    with app.app_context():
        assert db.session.get(Collectivite, ids["cc"]).population == 25100


def test_create_and_delete_are_recorded(app, login_as, ids):
    client = login_as("admin_cc")
    client.post("/admin/membership/new/", data={"email": "x@val.fr", "niveau": "lecture"})
    created = _entries(app, object_type="Membership", action="create")[-1]
    assert created.user_email == "admin.cc@tet.test"
    assert created.changes["niveau"] == [None, "lecture"]
    client.post("/admin/membership/delete/", data={"id": created.object_id})
    deleted = _entries(app, object_type="Membership", action="delete")[-1]
    assert deleted.object_id == created.object_id
    assert deleted.collectivite_id == ids["cc"]


def test_password_changes_are_recorded_without_the_hash(app, login_as, ids):
    uid = ids["users"]["lecture.cc@tet.test"]
    login_as("support").post(f"/admin/user/edit/?id={uid}", data={
        "email": "lecture.cc@tet.test", "prenom": "Léa", "nom": "Lecture", "active": "y",
        "new_password": "nouveau-mot-de-passe"})
    entry = _entries(app, object_type="User", action="update", object_id=uid)[-1]
    assert entry.user_email == "support@tet.test"
    assert "pbkdf2" not in str(entry.changes) and "password_hash" in entry.changes


def test_admin_reads_own_journal_only(app, login_as, ids):
    login_as("admin_ville").post(f"/admin/collectivite/edit/?id={ids['ville']}",
                                 data=with_version(app, Collectivite, ids["ville"], {
        "nom": "Ville d'Exemple-sur-Rhin", "type": "commune", "departement": "68",
        "region": "Grand Est", "population": "41200", "code_insee": "68901", "siret": ""}))
    page = login_as("admin_cc").get("/admin/auditlog/").get_data(as_text=True)
    assert "CC du Val Démo" in page
    assert "Exemple-sur-Rhin" not in page
    support_page = login_as("support").get("/admin/auditlog/?search=Rhin")
    assert "Exemple-sur-Rhin" in support_page.get_data(as_text=True)


def test_cli_changes_are_attributed_to_the_system(app):
    entries = _entries(app, object_type="Collectivite", action="create")
    assert entries and all(e.user_id is None for e in entries)
    assert entries[0].context == "flask seed --demo" or entries[0].context is None
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "support@tet.test"))


def test_saving_a_fiche_form_records_only_the_fields_changed(app, login_as, ids):
    """Empty text fields the form sends back as "" are not recorded as changes of NULL."""
    from werkzeug.datastructures import MultiDict

    from tests.formulaires import form_fields, replace
    from tet.plans.models import FicheAction

    with app.app_context():
        fiche = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == ids["cc"], FicheAction.objectifs.is_(None),
            FicheAction.parent_id.is_(None)).order_by(FicheAction.id))
        fid = fiche.id
    client = login_as("admin_cc")
    url = f"/admin/fiche/edit/?id={fid}"
    fields = form_fields(client.get(url).get_data(as_text=True),
                         lambda form: any(k == "titre" for k, _v in form["fields"]))
    assert client.post(url, data=MultiDict(replace(fields, titre="Titre revu"))).status_code == 302
    entry = _entries(app, object_type="FicheAction", object_id=fid, action="update")[-1]
    assert set(entry.changes) - {"updated_at", "version"} == {"titre"}
