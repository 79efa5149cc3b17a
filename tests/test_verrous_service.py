"""Optimistic locking below the forms: a concurrent flush (StaleDataError) becomes the same
refusal as a stale version; never a 500."""
from __future__ import annotations

from contextlib import contextmanager
from html import unescape

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from tests.formulaires import conflict_forms, form_fields, replace
from tet.extensions import db
from tet.plans.models import FicheAction, Plan
from tet.plans import fiches as fiche_service
from tet import verrous


def _fiche_id(app, ids):
    with app.app_context():
        return db.session.scalar(select(FicheAction.id).where(
            FicheAction.collectivite_id == ids["cc"]).order_by(FicheAction.id))


def _bump(model, oid, **values):
    """Another connection commits a change of the row (and its version)."""
    with db.engine.begin() as conn:
        conn.execute(update(model.__table__).where(model.__table__.c.id == oid).values(
            version=model.__table__.c.version + 1, **values))


@contextmanager
def _concurrent_save_during_flush(model, oid, **values):
    """Someone else saves the row between our version check and our flush."""
    done = []

    def before_flush(session, _ctx, _instances):
        if not done:
            done.append(True)
            _bump(model, oid, **values)

    event.listen(Session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", before_flush)


def test_stale_version_is_refused_before_anything_changes(app, ids):
    fid = _fiche_id(app, ids)
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        with pytest.raises(verrous.Perime):
            fiche_service.save_fiche(fiche, {"titre": "Nouveau"}, None,
                                     version=fiche.version - 1)
        with pytest.raises(verrous.Perime):
            fiche_service.save_fiche(fiche, {"titre": "Nouveau"}, None, version="")
        assert fiche.titre != "Nouveau"


def test_concurrent_flush_becomes_the_refusal(app, ids):
    fid = _fiche_id(app, ids)
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        version = fiche.version
        _bump(FicheAction, fid, titre="Titre de l'autre")  # after our read, before our save
        with pytest.raises(verrous.Perime):
            fiche_service.save_fiche(fiche, {"titre": "Le mien"}, None, version=version)
        db.session.rollback()
        assert db.session.get(FicheAction, fid).titre == "Titre de l'autre"


def test_concurrent_flush_on_the_fiche_form_shows_the_conflict_page(app, ids, login_as):
    fid = _fiche_id(app, ids)
    url = f"/admin/fiche/edit/?id={fid}"
    client = login_as("edition_cc")
    fields = form_fields(client.get(url).get_data(as_text=True),
                         lambda f: any(k == "titre" for k, _v in f["fields"]))
    with _concurrent_save_during_flush(FicheAction, fid, titre="Titre de l'autre"):
        response = client.post(url, data=MultiDict(replace(fields, titre="Le mien")))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "Titre de l'autre" in html
    with app.app_context():
        assert db.session.get(FicheAction, fid).titre == "Titre de l'autre"
    _merge, keep = conflict_forms(response.get_data(as_text=True))
    assert client.post(url, data=MultiDict(keep)).status_code == 302
    with app.app_context():
        assert db.session.get(FicheAction, fid).titre == "Le mien"


def test_concurrent_flush_on_a_flask_admin_form(app, ids, login_as):
    with app.app_context():
        pid = db.session.scalar(select(Plan.id).where(Plan.collectivite_id == ids["cc"]))
    url = f"/admin/plan/edit/?id={pid}"
    client = login_as("admin_cc")
    fields = form_fields(client.get(url).get_data(as_text=True),
                         lambda f: any(k == "version" for k, _v in f["fields"]))
    with _concurrent_save_during_flush(Plan, pid, nom="Nom de l'autre"):
        response = client.post(url, data=MultiDict(replace(fields, nom="Mon nom")))
    assert response.status_code == 409
    assert "Nom de l'autre" in unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Plan, pid).nom == "Nom de l'autre"


def test_stale_data_elsewhere_is_a_french_409_not_a_500(app, ids, login_as, monkeypatch):
    from tet.plans.models import Axe
    from tet.plans import arbre

    with app.app_context():
        axe = db.session.scalar(select(Axe).where(Axe.parent_id.is_not(None),
                                                  Axe.plan.has(collectivite_id=ids["cc"])))
        pid, axe_id = axe.plan_id, axe.id

    def stale(*_args):
        raise StaleDataError("concurrent")

    monkeypatch.setattr(arbre, "move", stale)
    response = login_as("admin_cc").post(f"/admin/plan/{pid}/axe",
                                         data={"op": "monter", "axe_id": axe_id})
    text = unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "rien n'a été enregistré" in text
