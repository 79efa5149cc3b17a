"""Two people edit the same fiche: the second save is refused with the conflict page, then
keep mine / take theirs / merge field by field (audit issue 9, « mises à jour perdues »)."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.formulaires import conflict_forms, form_fields, replace
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.plans.models import FicheAction


def _fiche(app, ids):
    with app.app_context():
        fiche = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == ids["cc"], FicheAction.deleted_at.is_(None),
            FicheAction.parent_id.is_(None)).order_by(FicheAction.id))
        return fiche.id, fiche.titre


def _is_fiche_form(form):
    return any(k == "titre" for k, _v in form["fields"])


@pytest.fixture
def conflit(app, ids, login_as):
    """edition.cc and admin.cc open the same fiche; edition.cc saves a new description; then
    admin.cc saves a new title and another description: refused."""
    fid, titre = _fiche(app, ids)
    url = f"/admin/fiche/edit/?id={fid}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e = form_fields(edition.get(url).get_data(as_text=True), _is_fiche_form)
    form_a = form_fields(admin.get(url).get_data(as_text=True), _is_fiche_form)
    first = edition.post(url, data=MultiDict(replace(form_e, description="Texte d'Édith")))
    assert first.status_code == 302
    second = admin.post(url, data=MultiDict(replace(
        form_a, titre="Titre d'Albert", description="Texte d'Albert")))
    return {"fid": fid, "titre": titre, "url": url, "admin": admin, "response": second}


def _saved(app, fid):
    with app.app_context():
        return db.session.get(FicheAction, fid)


def test_stale_save_is_refused_with_the_other_change_shown(app, conflit):
    response = conflit["response"]
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Rien n'a été enregistré" in html and "enregistrée." not in html
    assert "Texte d'Édith" in html and "Texte d'Albert" in html  # theirs and mine
    assert "edition.cc@tet.test" in html  # who changed it
    fiche = _saved(app, conflit["fid"])
    assert fiche.description == "Texte d'Édith" and fiche.titre == conflit["titre"]


def test_keep_mine_saves_my_version(app, conflit):
    _merge, keep = conflict_forms(conflit["response"].get_data(as_text=True))
    response = conflit["admin"].post(conflit["url"], data=MultiDict(keep))
    assert response.status_code == 302
    fiche = _saved(app, conflit["fid"])
    assert (fiche.titre, fiche.description) == ("Titre d'Albert", "Texte d'Albert")


def test_take_theirs_leaves_their_version(app, conflit):
    html = unescape(conflit["response"].get_data(as_text=True))
    assert f'href="/admin/fiche/{conflit["fid"]}">Prendre la version de l' in html
    page = conflit["admin"].get(f"/admin/fiche/{conflit['fid']}")
    assert "Texte d'Édith" in unescape(page.get_data(as_text=True))
    assert _saved(app, conflit["fid"]).titre == conflit["titre"]


def test_merge_field_by_field(app, conflit):
    merge, _keep = conflict_forms(conflit["response"].get_data(as_text=True))
    # description: both changed it → the radio; titre: only mine → kept automatically
    response = conflit["admin"].post(conflit["url"], data=MultiDict(
        merge + [("verrou_choix-description", "autre")]))
    assert response.status_code == 302
    fiche = _saved(app, conflit["fid"])
    assert (fiche.titre, fiche.description) == ("Titre d'Albert", "Texte d'Édith")
    with app.app_context():
        last = db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "FicheAction", AuditLog.object_id == conflit["fid"])
            .order_by(AuditLog.id.desc())).first()
        assert last.user_email == "admin.cc@tet.test"
        assert last.changes["titre"][1] == "Titre d'Albert" and "description" not in last.changes


def test_their_untouched_fields_are_kept_by_the_merge(app, ids, login_as):
    """Each changed a different field: the merge keeps both changes."""
    fid, _titre = _fiche(app, ids)
    url = f"/admin/fiche/edit/?id={fid}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e = form_fields(edition.get(url).get_data(as_text=True), _is_fiche_form)
    form_a = form_fields(admin.get(url).get_data(as_text=True), _is_fiche_form)
    assert edition.post(url, data=MultiDict(replace(form_e, objectifs="Objectif E"))
                        ).status_code == 302
    refused = admin.post(url, data=MultiDict(replace(form_a, titre="Titre A")))
    assert refused.status_code == 409
    merge, _keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(merge)).status_code == 302
    fiche = _saved(app, fid)
    assert (fiche.titre, fiche.objectifs) == ("Titre A", "Objectif E")


def test_a_form_without_version_saves_nothing(app, ids, login_as):
    fid, titre = _fiche(app, ids)
    client = login_as("edition_cc")
    response = client.post(f"/admin/fiche/edit/?id={fid}", data={
        "titre": "Sans version", "statut": "en_cours"})
    assert response.status_code == 409
    assert _saved(app, fid).titre == titre


def test_places_two_sessions(app, ids, login_as):
    """« Ranger la fiche » replaces the set of places: a stale one is refused too."""
    from tet.plans.models import Axe
    from tet.plans import arbre

    fid, _titre = _fiche(app, ids)
    url = f"/admin/fiche/{fid}/ranger"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    def locked(form):
        return any(k == "verrou_base" for k, _v in form["fields"])

    form_e = form_fields(edition.get(url).get_data(as_text=True), locked)
    form_a = form_fields(admin.get(url).get_data(as_text=True), locked)
    with app.app_context():
        axes = db.session.scalars(select(Axe).join(Axe.plan).where(
            Axe.parent_id.is_not(None), Axe.plan.has(collectivite_id=ids["cc"]))
            .order_by(Axe.id)).all()
        first, second = axes[0], axes[-1]
        names = first.nom, second.nom
        current = {a.id for a in arbre.places(db.session.get(FicheAction, fid))}
    keep_fields = [(k, v) for k, v in form_e if k != "axe_ids"]
    assert edition.post(url, data=MultiDict(keep_fields + [("axe_ids", first.id)])
                        ).status_code == 302
    refused = admin.post(url, data=MultiDict([(k, v) for k, v in form_a if k != "axe_ids"]
                                             + [("axe_ids", second.id)]))
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and names[0] in html and names[1] in html
    with app.app_context():
        assert {a.id for a in arbre.places(db.session.get(FicheAction, fid))} == {first.id}
    merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(merge + [("verrou_choix-axe_ids", "autre")])
                      ).status_code == 302
    with app.app_context():
        assert {a.id for a in arbre.places(db.session.get(FicheAction, fid))} == {first.id}
    assert admin.post(url, data=MultiDict(keep)).status_code == 302
    with app.app_context():
        assert {a.id for a in arbre.places(db.session.get(FicheAction, fid))} == {second.id}
    assert current  # the demo fiche was filed somewhere to begin with
