"""Restoring a fiche as it was after one of its saves (tet.plans.restauration): fields, links,
places; what can no longer be restored is said; refusals; one audited change."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.plans.test_agregats import _check
from tet.comptes import audit
from tet.colonnes import utcnow
from tet.comptes.journal import AuditLog
from tet.comptes.models import User
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.plans import arbre
from tet.plans import fiches as fiche_service
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.versions_fiche import FicheVersion


def _scenario(app, ids) -> dict:
    """Two saves of a CC fiche by its admin: v1 (titre, statut, pilote, indicateur, fiche
    liée, filed under axe A), then v2 (all of it changed, filed under axe B instead)."""
    with app.app_context():
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        edition = db.session.get(User, ids["users"]["edition.cc@tet.test"])
        fiches = list(db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == ids["cc"], FicheAction.deleted_at.is_(None),
            FicheAction.parent_id.is_(None)).order_by(FicheAction.id).limit(2)))
        fiche, autre = fiches
        a, b = list(db.session.scalars(select(Axe).join(Plan).where(
            Plan.collectivite_id == ids["cc"], Axe.parent_id.is_not(None),
            Plan.deleted_at.is_(None)).order_by(Axe.id).limit(2)))
        ind = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id))
        with audit.acting_as(admin):
            fiche_service.save_fiche(fiche, {"titre": "Version une", "statut": "en_cours",
                                             "pilote_ids": [edition.id],
                                             "partenaire": "ADEME"}, admin)
            fiche.indicateurs = [ind]
            fiche_service.link(fiche, autre)
            arbre.ranger(fiche, {a.id})
            db.session.commit()
        v1 = db.session.scalar(select(FicheVersion.id).where(
            FicheVersion.fiche_id == fiche.id).order_by(FicheVersion.id.desc()))
        with audit.acting_as(admin):
            fiche_service.save_fiche(fiche, {"titre": "Version deux", "statut": "realise",
                                             "pilote_ids": [], "partenaire": ""}, admin)
            fiche.indicateurs = []
            fiche_service.unlink(fiche, autre)
            arbre.ranger(fiche, {b.id})
            db.session.commit()
        return {"fiche": fiche.id, "autre": autre.id, "a": a.id, "b": b.id, "ind": ind.id,
                "v1": v1, "edition": edition.id, "version": fiche.version,
                "a_nom": a.nom}


def _url(s) -> str:
    return f"/admin/fiche/{s['fiche']}/historique/{s['v1']}"


def _etat(app, fid):
    with app.app_context():
        f = db.session.get(FicheAction, fid)
        return {"titre": f.titre, "statut": f.statut, "pilotes": [u.id for u in f.pilotes],
                "indicateurs": [i.id for i in f.indicateurs],
                "partenaires": [t.nom for t in f.tags if t.kind == "partenaire"],
                "liens": [x.id for x in fiche_service.linked(f)],
                "places": {x.id for x in arbre.places(f)}, "version": f.version}


def test_preview_then_restore_fields_links_and_places(app, ids, login_as):
    s = _scenario(app, ids)
    client = login_as("admin_cc")
    page = client.get(_url(s)).get_data(as_text=True)
    assert "Ce qui changera" in page
    assert "Réalisé" in page and "En cours" in page and "Version deux" in page
    assert "emplacements dans les plans" in page.lower()
    response = client.post(_url(s), data={"version": s["version"]})
    assert response.status_code == 302 and response.location.endswith("#historique")
    etat = _etat(app, s["fiche"])
    assert etat["titre"] == "Version une" and etat["statut"] == "en_cours"
    assert etat["pilotes"] == [s["edition"]] and etat["indicateurs"] == [s["ind"]]
    assert etat["partenaires"] == ["ADEME"] and etat["liens"] == [s["autre"]]
    assert etat["places"] == {s["a"]}
    with app.app_context():
        _check()  # the tree's maintained counts follow the places
        rows = list(db.session.scalars(select(AuditLog).where(
            AuditLog.context.like("Restauration de la version du %"))))
        assert rows and len({r.lot for r in rows}) == 1
        assert all(r.user_email == "admin.cc@tet.test" for r in rows)
    history = client.get(f"/admin/fiche/{s['fiche']}").get_data(as_text=True)
    section = history[history.index('id="historique"'):]
    assert section.count("Restauration de la version du") == 1


def test_restore_across_saves_is_itself_restorable(app, ids, login_as):
    """Restoring v1 then undoing it (restoring v2) gives v2 back."""
    s = _scenario(app, ids)
    client = login_as("admin_cc")
    with app.app_context():
        v2 = db.session.scalar(select(FicheVersion.id).where(
            FicheVersion.fiche_id == s["fiche"]).order_by(FicheVersion.id.desc()))
    client.post(_url(s), data={"version": s["version"]})
    version = _etat(app, s["fiche"])["version"]
    response = client.post(f"/admin/fiche/{s['fiche']}/historique/{v2}",
                           data={"version": version})
    assert response.status_code == 302
    etat = _etat(app, s["fiche"])
    assert etat["titre"] == "Version deux" and etat["places"] == {s["b"]}
    assert etat["liens"] == [] and etat["pilotes"] == []


def test_what_cannot_be_restored_is_said_never_a_500(app, ids, login_as):
    s = _scenario(app, ids)
    with app.app_context():
        arbre.delete_axe(db.session.get(Axe, s["a"]))
        db.session.get(FicheAction, s["autre"]).deleted_at = utcnow()
        db.session.commit()
    client = login_as("admin_cc")
    page = client.get(_url(s)).get_data(as_text=True)
    assert "Ne pourra pas être restauré" in page
    assert f"{s['a_nom']} » a été supprimé" in page
    assert "lien non restauré" in page
    response = client.post(_url(s), data={"version": s["version"]}, follow_redirects=True)
    assert response.status_code == 200
    assert f"{s['a_nom']} » a été supprimé" in response.get_data(as_text=True)
    etat = _etat(app, s["fiche"])
    assert etat["titre"] == "Version une" and etat["places"] == set()
    with app.app_context():
        _check()


def test_stale_preview_is_refused_with_nothing_written(app, ids, login_as):
    s = _scenario(app, ids)
    client = login_as("admin_cc")
    with app.app_context():  # someone saves the fiche after the preview was shown
        f = db.session.get(FicheAction, s["fiche"])
        f.statut = "bloque"
        db.session.commit()
    response = client.post(_url(s), data={"version": s["version"]})
    assert response.status_code == 409
    assert "rien n’a été restauré" in response.get_data(as_text=True)
    etat = _etat(app, s["fiche"])
    assert etat["statut"] == "bloque" and etat["titre"] == "Version deux"


def test_refusals(app, ids, login_as):
    s = _scenario(app, ids)
    lecture = login_as("lecture_cc")
    assert lecture.get(_url(s)).status_code == 403
    assert lecture.post(_url(s), data={"version": s["version"]}).status_code == 403
    ville = login_as("admin_ville")
    assert ville.get(_url(s)).status_code == 404
    assert ville.post(_url(s), data={"version": s["version"]}).status_code == 404
    admin = login_as("admin_cc")
    # a version of another fiche under this fiche's URL
    assert admin.get(f"/admin/fiche/{s['autre']}/historique/{s['v1']}").status_code == 404
    assert _etat(app, s["fiche"])["titre"] == "Version deux"


def test_edition_member_may_restore_lecture_sees_no_button(app, ids, login_as):
    """domain.md: édition edits fiches and their places, so it restores too."""
    s = _scenario(app, ids)
    assert login_as("edition_cc").get(_url(s)).status_code == 200
    page = login_as("lecture_cc").get(f"/admin/fiche/{s['fiche']}").get_data(as_text=True)
    assert "Historique" in page and "Revenir à cette version" not in page
    page = login_as("admin_cc").get(f"/admin/fiche/{s['fiche']}").get_data(as_text=True)
    assert "Revenir à cette version" in page


def test_restore_needs_the_csrf_token(app, ids, login_as):
    s = _scenario(app, ids)
    client = login_as("admin_cc")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(_url(s), data={"version": s["version"]})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _etat(app, s["fiche"])["titre"] == "Version deux"


def test_fiche_history_shows_readable_entries(app, ids, login_as):
    s = _scenario(app, ids)
    page = login_as("admin_cc").get(f"/admin/fiche/{s['fiche']}").get_data(as_text=True)
    section = page[page.index('id="historique"'):]
    assert "Modification de la fiche « Version deux »" in section
    assert "Réalisé" in section and "realise" not in section
    assert "retrait de" in section and "ajout de" in section
    assert not re.search(r"\b(updated_by_id|collectivite_id|None|False|True)\b", section)


def test_restoring_places_alone_makes_a_new_version(app, ids, login_as):
    """A restore that only moves the fiche still bumps its version: a form opened before it
    cannot silently undo it."""
    s = _scenario(app, ids)
    with app.app_context():  # v3: only the places differ from v2
        fiche = db.session.get(FicheAction, s["fiche"])
        arbre.ranger(fiche, {s["a"]})
        db.session.commit()
        v3 = db.session.scalar(select(FicheVersion.id).where(
            FicheVersion.fiche_id == s["fiche"]).order_by(FicheVersion.id.desc()))
        v2 = db.session.scalar(select(FicheVersion.id).where(
            FicheVersion.fiche_id == s["fiche"], FicheVersion.id < v3)
            .order_by(FicheVersion.id.desc()))
    before = _etat(app, s["fiche"])["version"]
    client = login_as("admin_cc")
    url = f"/admin/fiche/{s['fiche']}/historique/{v2}"
    assert client.post(url, data={"version": before}).status_code == 302
    after = _etat(app, s["fiche"])
    assert after["places"] == {s["b"]} and after["version"] > before
    assert client.post(f"/admin/fiche/{s['fiche']}/historique/{v3}",
                       data={"version": before}).status_code == 409
