"""Bulk edit of the fiche list's selection (tet/plans/edition_lot.py): each change, scoping
(other collectivités' ids ignored and counted), roles (lecture: no action, forged POST 403;
contributeur: its own fiches, no pilote or axe), one audit entry per fiche, versions bumped,
bounded selection."""
from __future__ import annotations

from sqlalchemy import func, select

from tests import builders
from tests.conftest import flashes
from tests.plan_helpers import axe_id
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, User
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.models import Axe, FicheAction, fiche_axe
from tet.plans.edition_lot import LOT_MAX

CC, VILLE = "200099901", "216890103"


def _ids(siren, n):
    cid = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == siren))
    return list(db.session.scalars(select(FicheAction.id).where(
        FicheAction.collectivite_id == cid, FicheAction.deleted_at.is_(None))
        .order_by(FicheAction.id).limit(n)))


def _post(client, action, ids, **fields):
    data = {"action": action, "rowid": [str(i) for i in ids], "url": "/admin/fiche/",
            **fields}
    return client.post("/admin/fiche/action/", data=data)


def _confirm(client, action, ids, valeur, **fields):
    return _post(client, action, ids, confirme="1", valeur=valeur, **fields)


def _state(ids):
    rows = db.session.execute(select(FicheAction.id, FicheAction.statut, FicheAction.priorite,
                                     FicheAction.version).where(FicheAction.id.in_(ids)))
    return {i: (s, p, v) for i, s, p, v in rows}


def test_statut_of_selection_scoped_audited_and_versioned(app, login_as):
    with app.app_context():
        mine, foreign = _ids(CC, 4), _ids(VILLE, 1)
        db.session.execute(FicheAction.__table__.update().where(
            FicheAction.id == mine[0]).values(statut="bloque"))
        db.session.commit()
        before = _state(mine)
        audits = db.session.scalar(select(func.count()).select_from(AuditLog))
    client = login_as("edition_cc")
    page = _post(client, "lot_statut", mine + foreign)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "5 fiches sélectionnées" in text
    assert 'name="valeur"' in text and "En pause" in text
    response = _confirm(client, "lot_statut", mine + foreign + [mine[0]], "bloque")
    assert response.status_code == 302
    with app.app_context():
        after = _state(mine)
        changed = [i for i in mine if before[i][0] != "bloque"]
        assert all(after[i][0] == "bloque" for i in mine)
        assert all(after[i][2] == before[i][2] + 1 for i in changed)
        assert after[mine[0]][2] == before[mine[0]][2]  # already bloqué: untouched
        entries = list(db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "FicheAction").order_by(AuditLog.id.desc())
            .limit(len(changed) + 1)))
        new = db.session.scalar(select(func.count()).select_from(AuditLog)) - audits
        assert new == len(changed)
        assert sorted(e.object_id for e in entries[:len(changed)]) == sorted(changed)
        assert all("Modification par lot" in (e.context or "") for e in entries[:len(changed)])
        assert all(e.changes["statut"][1] == "bloque" for e in entries[:len(changed)])
    message = " ".join(flashes(client.get("/admin/fiche/")))
    assert f"{len(changed)} fiches modifiées" in message and "1 déjà à jour" in message
    assert "1 ignorée (1 introuvables ou hors de votre collectivité)" in message


def test_foreign_fiche_is_not_changed(app, login_as):
    with app.app_context():
        foreign = _ids(VILLE, 1)
        before = _state(foreign)
    _confirm(login_as("admin_cc"), "lot_priorite", foreign, "bas")
    with app.app_context():
        assert _state(foreign) == before


def test_priorite_pilote_and_axe(app, login_as):
    client = login_as("admin_cc")
    with app.app_context():
        ids = _ids(CC, 3)
        edition = db.session.scalar(select(User.id).where(User.email == "edition.cc@tet.test"))
        ville_admin = db.session.scalar(select(User.id).where(
            User.email == "admin.ville@tet.test"))
    _confirm(client, "lot_priorite", ids, "")
    with app.app_context():
        versions = {i: v for i, (_s, _p, v) in _state(ids).items()}
        had = {i for i in ids if edition in [u.id for u in
                                             db.session.get(FicheAction, i).pilotes]}
    assert had != set(ids)
    _confirm(client, "lot_pilote", ids, str(edition), mode="ajouter")
    with app.app_context():
        # a change of links only is a new version of the fiche too
        assert all(v == versions[i] + (0 if i in had else 1)
                   for i, (_s, _p, v) in _state(ids).items())
        fiches = [db.session.get(FicheAction, i) for i in ids]
        assert all(f.priorite is None for f in fiches)
        assert all(edition in [u.id for u in f.pilotes] for f in fiches)
    _confirm(client, "lot_pilote", ids, str(edition), mode="remplacer")
    with app.app_context():
        assert all([u.id for u in db.session.get(FicheAction, i).pilotes] == [edition]
                   for i in ids)
    # a pilote who is no member of the collectivité is refused fiche by fiche
    response = _confirm(client, "lot_pilote", ids, str(ville_admin), mode="remplacer")
    assert response.status_code == 302
    assert "3 ignorées" in " ".join(flashes(client.get("/admin/fiche/")))
    with app.app_context():
        target = db.session.scalar(select(Axe.id).where(
            Axe.parent_id.is_not(None), Axe.plan_id == db.session.get(
                Axe, axe_id(app, "1.1 Bâtiments publics")).plan_id,
            ~Axe.id.in_(select(fiche_axe.c.axe_id).where(fiche_axe.c.fiche_id.in_(ids))))
            .order_by(Axe.id))
    _confirm(client, "lot_axe", ids, str(target))
    with app.app_context():
        placed = set(db.session.scalars(select(fiche_axe.c.fiche_id).where(
            fiche_axe.c.axe_id == target)))
        assert set(ids) <= placed
        parent = db.session.get(Axe, target).parent_id
        under = set(db.session.scalars(select(SAF.c.fiche_id).where(SAF.c.axe_id == parent)))
        assert set(ids) <= under  # the closure followed
        entries = list(db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "FicheAction", AuditLog.object_id.in_(ids),
            AuditLog.context.like("%axe%"))))
        assert sorted(e.object_id for e in entries) == sorted(ids)
        assert all(e.changes["axes"][1] for e in entries)


def test_invalid_value_reshows_the_form(app, login_as):
    with app.app_context():
        ids = _ids(CC, 2)
    response = _confirm(login_as("admin_cc"), "lot_statut", ids, "n_importe_quoi")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choisissez un statut." in text
    assert 'aria-describedby="lot-erreur"' in text


def test_lecture_sees_no_action_and_is_refused(app, login_as):
    client = login_as("lecture_cc")
    page = client.get("/admin/fiche/").get_data(as_text=True)
    assert "Changer le statut" not in page and "Ranger dans un axe" not in page
    with app.app_context():
        ids = _ids(CC, 2)
        before = _state(ids)
    for action in ("lot_statut", "lot_priorite", "lot_pilote", "lot_axe"):
        assert _confirm(client, action, ids, "realise").status_code == 403
    with app.app_context():
        assert _state(ids) == before


def test_contributeur_changes_its_own_fiches_only(app, login_as):
    with app.app_context():
        cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == CC))
        user = builders.user("contrib.lot@tet.test")
        builders.member(user, cc, "contributeur")
        ids = _ids(CC, 3)
        piloted = db.session.get(FicheAction, ids[0])
        piloted.pilotes.append(user)
        db.session.commit()
    client = login_as("contrib.lot@tet.test")
    page = client.get("/admin/fiche/").get_data(as_text=True)
    assert "Changer le statut" in page and "Ranger dans un axe" not in page
    assert _confirm(client, "lot_axe", ids, "1").status_code == 403
    _confirm(client, "lot_statut", ids, "abandonne")
    with app.app_context():
        statuts = {i: s for i, (s, _p, _v) in _state(ids).items()}
    assert statuts[ids[0]] == "abandonne"
    assert statuts[ids[1]] != "abandonne" and statuts[ids[2]] != "abandonne"
    assert "2 que vous ne pouvez pas modifier" in " ".join(flashes(client.get("/admin/fiche/")))


def test_selection_is_bounded(app, login_as):
    client = login_as("admin_cc")
    response = _post(client, "lot_statut", range(1, LOT_MAX + 2))
    assert response.status_code == 302
    message = " ".join(flashes(client.get("/admin/fiche/")))
    assert f"{LOT_MAX + 1} fiches" in message and f"{LOT_MAX} au plus" in message
