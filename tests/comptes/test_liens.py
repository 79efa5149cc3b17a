"""Links between collectivités: supra / membres set by support only, déclinaisons consented
by the member side, ajax look-ups scoped like the lists."""
from __future__ import annotations

import html
import json

import pytest
from sqlalchemy import select

from tests import builders
from tests.formulaires import with_version
from tests.plan_helpers import fiche_id
from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.plans.models import Declinaison, FicheAction
from tet.comptes.demandes import Notification

ECOLES = "Rénover l'isolation des écoles communautaires"
VALBOURG = "Rénover l'isolation de l'école élémentaire de Valbourg"
SECRET = "Projet confidentiel de chaufferie bois"
OUVERTE = "Végétaliser la cour de l'école"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _membres(app, cid) -> list[str]:
    with app.app_context():
        return [c.nom for c in db.session.get(Collectivite, cid).membres]


# --- supra / membres ---------------------------------------------------------------------

def test_a_collectivite_admin_cannot_declare_its_members(app, login_as, ids):
    client = login_as("admin_ville")
    url = f"/admin/collectivite/edit/?id={ids['ville']}"
    form = _text(client.get(url))
    assert 'name="membres"' not in form and "Communes membres" not in form
    # a forged field is refused too, and the rest of the form is not saved with it
    response = client.post(url, data={"nom": "Ville d'Exemple", "type": "commune",
                                       "membres": str(ids["cc"])})
    assert response.status_code in (200, 302)
    assert _membres(app, ids["ville"]) == []
    with app.app_context():
        assert db.session.get(Collectivite, ids["cc"]).supras == []


def test_the_service_refuses_changed_links_for_a_non_support(app, ids):
    from tet.comptes.permissions import build_acteur
    from tet.plans import liens

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin.ville@tet.test"))
        support = db.session.scalar(select(User).where(User.email == "support@tet.test"))
        ville = db.session.get(Collectivite, ids["ville"])
        assert liens.may_save_links(build_acteur(admin), ville)
        ville.membres.append(db.session.get(Collectivite, ids["cc"]))
        assert not liens.may_save_links(build_acteur(admin), ville)
        assert liens.may_save_links(build_acteur(support), ville)
        db.session.rollback()


def test_support_sets_the_members(app, login_as, ids):
    client = login_as("support")
    url = f"/admin/collectivite/edit/?id={ids['ville']}"
    assert 'name="membres"' in _text(client.get(url))
    response = client.post(url, data=with_version(app, Collectivite, ids["ville"], {
        "nom": "Ville d'Exemple", "type": "commune", "siren": "216890103",
        "membres": str(ids["commune2"])}))
    assert response.status_code == 302
    assert _membres(app, ids["ville"]) == ["Commune de Saint-Démo"]


# --- ajax look-ups -----------------------------------------------------------------------

def _lookup(client, view, name, query=""):
    response = client.get(f"/admin/{view}/ajax/lookup/?name={name}&query={query}&limit=1000")
    return response.status_code, (json.loads(response.data) if response.status_code == 200
                                  else None)


@pytest.mark.parametrize("role", ["admin_ville", "admin_cc", "edition_cc", "lecture_cc",
                                  "opsn_admin"])
def test_collectivite_lookup_returns_nothing_to_non_support(login_as, role):
    status, data = _lookup(login_as(role), "collectivite", "membres")
    assert status == 200 and data == []


def test_collectivite_lookup_for_support_is_bounded(app, login_as):
    with app.app_context():
        for n in range(60):
            builders.collectivite(f"Commune test {n:02d}")
        db.session.commit()
    status, data = _lookup(login_as("support"), "collectivite", "membres", "Commune")
    assert status == 200 and len(data) == 50  # the limit asked (1000) is capped
    assert {"Commune de Valbourg", "Ville d'Exemple"} <= {label for _id, label in _lookup(
        login_as("support"), "collectivite", "membres", "e")[1]}


def test_every_ajax_loader_is_scoped(app):
    """Each ``form_ajax_refs`` of each view goes through the policy (no plain loader)."""
    from admin_views.base import ScopedAjaxLoader

    found = 0
    for view in app.extensions["tet_admin"]._views:
        for name, loader in (getattr(view, "_form_ajax_refs", None) or {}).items():
            assert isinstance(loader, ScopedAjaxLoader), (view.endpoint, name)
            found += 1
    assert found >= 1


# --- déclinaisons ------------------------------------------------------------------------

@pytest.fixture
def valbourg(app, ids):
    """An admin and a lecture for the Commune de Valbourg, an open fiche and a secret one."""
    with app.app_context():
        commune = db.session.get(Collectivite, ids["commune1"])
        builders.member(builders.user("admin.valbourg@tet.test"), commune, "admin")
        builders.member(builders.user("lecture.valbourg@tet.test"), commune, "lecture")
        db.session.add_all([
            FicheAction(collectivite_id=commune.id, titre=OUVERTE, statut="en_cours"),
            FicheAction(collectivite_id=commune.id, titre=SECRET, statut="a_venir",
                        confidentiel=True)])
        db.session.commit()
    return "admin.valbourg@tet.test"


def _statut(app, supra, membre):
    with app.app_context():
        link = db.session.get(Declinaison, (supra, membre))
        return link.statut if link else None


def test_demo_declinaison_is_an_accepted_one(app):
    assert _statut(app, fiche_id(app, ECOLES), fiche_id(app, VALBOURG)) == "acceptee"


def test_a_declinaison_needs_the_member_side_to_accept(app, login_as, valbourg):
    supra, ouverte = fiche_id(app, ECOLES), fiche_id(app, OUVERTE)
    cc = login_as("admin_cc")
    cc.post(f"/admin/fiche/{supra}/declinaisons", data={"membre_fiche_id": ouverte})
    assert _statut(app, supra, ouverte) == "demandee"
    page = _text(cc.get(f"/admin/fiche/{supra}"))
    assert "Déclinaisons (1)" in page  # only the demo one, accepted
    assert "Demandes en attente" in page and OUVERTE in page
    # the member side is told, in-app, with a link to its fiche
    with app.app_context():
        notes = db.session.scalars(select(Notification).join(User).where(
            User.email == valbourg)).all()
    assert len(notes) == 1 and OUVERTE in notes[0].message
    assert notes[0].url.endswith(f"/admin/fiche/{ouverte}")
    member_page = _text(login_as(valbourg).get(f"/admin/fiche/{ouverte}"))
    assert "Demandes de déclinaison reçues" in member_page and ECOLES in member_page
    # the supra side cannot accept for the member; a lecture of the member cannot either
    assert cc.post(f"/admin/fiche/{ouverte}/declinaisons/decision", data={
        "supra_fiche_id": supra, "op": "accepter"}).status_code == 404
    assert login_as("lecture.valbourg@tet.test").post(
        f"/admin/fiche/{ouverte}/declinaisons/decision",
        data={"supra_fiche_id": supra, "op": "accepter"}).status_code == 403
    assert _statut(app, supra, ouverte) == "demandee"
    login_as(valbourg).post(f"/admin/fiche/{ouverte}/declinaisons/decision",
                            data={"supra_fiche_id": supra, "op": "accepter"})
    assert _statut(app, supra, ouverte) == "acceptee"
    assert "Déclinaisons (2)" in _text(cc.get(f"/admin/fiche/{supra}"))
    with app.app_context():
        told = db.session.scalars(select(Notification.message).join(User).where(
            User.email == "admin.cc@tet.test")).all()
    assert any("accepte de décliner" in m for m in told)


def test_a_refused_request_shows_nowhere(app, login_as, valbourg):
    supra, ouverte = fiche_id(app, ECOLES), fiche_id(app, OUVERTE)
    login_as("edition_cc").post(f"/admin/fiche/{supra}/declinaisons",
                                data={"membre_fiche_id": ouverte})
    member = login_as(valbourg)
    member.post(f"/admin/fiche/{ouverte}/declinaisons/decision",
                data={"supra_fiche_id": supra, "op": "refuser"})
    assert _statut(app, supra, ouverte) == "refusee"
    assert ECOLES not in _text(member.get(f"/admin/fiche/{ouverte}"))
    page = _text(login_as("admin_cc").get(f"/admin/fiche/{supra}"))
    assert "Déclinaisons (1)" in page and "Demandes en attente" not in page
    # a second decision on a decided request changes nothing
    response = member.post(f"/admin/fiche/{ouverte}/declinaisons/decision",
                           data={"supra_fiche_id": supra, "op": "accepter"})
    assert response.status_code == 302 and _statut(app, supra, ouverte) == "refusee"


def test_the_picker_lists_open_fiches_of_actual_members_only(app, login_as, valbourg):
    supra = fiche_id(app, ECOLES)
    page = _text(login_as("admin_cc").get(f"/admin/fiche/{supra}"))
    picker = page.split('name="membre_fiche_id" class="custom-select')[1].split("</select>")[0]
    assert OUVERTE in picker and SECRET not in page
    assert "Atteindre 50 %" not in picker  # a fiche of Ville d'Exemple, not a member
    # a forged request for the confidential fiche is refused and writes nothing
    secret = fiche_id(app, SECRET)
    login_as("admin_cc").post(f"/admin/fiche/{supra}/declinaisons",
                              data={"membre_fiche_id": secret})
    assert _statut(app, supra, secret) is None


def test_a_non_member_cannot_attach_a_supra_fiche(app, login_as, ids):
    """The audit's path: Ville d'Exemple is not a member of the CC (and cannot become one)."""
    ville_fiche = fiche_id(app, "Créer une légumerie municipale")
    supra = fiche_id(app, ECOLES)
    ville = login_as("admin_ville")
    assert ville.post(f"/admin/fiche/{supra}/declinaisons",
                      data={"membre_fiche_id": ville_fiche}).status_code == 404
    login_as("admin_cc").post(f"/admin/fiche/{supra}/declinaisons",
                              data={"membre_fiche_id": ville_fiche})
    assert _statut(app, supra, ville_fiche) is None


def test_the_rollup_hides_a_member_fiche_made_confidential(app, login_as):
    supra, membre = fiche_id(app, ECOLES), fiche_id(app, VALBOURG)
    with app.app_context():
        db.session.get(FicheAction, membre).confidentiel = True
        db.session.commit()
    page = _text(login_as("admin_cc").get(f"/admin/fiche/{supra}"))
    assert "Déclinaisons (" not in page and VALBOURG not in page


def test_supra_side_withdraws_and_member_side_ends(app, login_as, valbourg):
    supra, membre = fiche_id(app, ECOLES), fiche_id(app, VALBOURG)
    assert login_as("lecture_cc").post(f"/admin/fiche/{supra}/declinaisons", data={
        "membre_fiche_id": membre, "op": "retirer"}).status_code == 403
    login_as(valbourg).post(f"/admin/fiche/{membre}/declinaisons/decision",
                            data={"supra_fiche_id": supra, "op": "retirer"})
    assert _statut(app, supra, membre) is None


def test_a_request_from_a_former_supra_cannot_be_accepted(app, login_as, ids, valbourg):
    supra, ouverte = fiche_id(app, ECOLES), fiche_id(app, OUVERTE)
    login_as("admin_cc").post(f"/admin/fiche/{supra}/declinaisons",
                              data={"membre_fiche_id": ouverte})
    with app.app_context():  # support removes the link (e.g. from the official data)
        cc = db.session.get(Collectivite, ids["cc"])
        cc.membres.remove(db.session.get(Collectivite, ids["commune1"]))
        db.session.commit()
    member = login_as(valbourg)
    assert ECOLES not in _text(member.get(f"/admin/fiche/{ouverte}"))
    member.post(f"/admin/fiche/{ouverte}/declinaisons/decision",
                data={"supra_fiche_id": supra, "op": "accepter"})
    assert _statut(app, supra, ouverte) == "demandee"
    assert VALBOURG not in _text(login_as("admin_cc").get(f"/admin/fiche/{supra}"))
