"""The "contributeur" niveau edits only the fiches where they are a pilote."""
from __future__ import annotations

from sqlalchemy import select

from tests import builders
from tests.formulaires import with_version
from tests.plan_helpers import fiche, fiche_id, plan_id
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.comptes.models import Collectivite


def _contributeur(app, pilote_of: str) -> str:
    with app.app_context():
        cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == "200099901"))
        user = builders.user("contrib.cc@tet.test")
        builders.member(user, cc, "contributeur")
        f = db.session.scalar(select(FicheAction).where(FicheAction.titre == pilote_of))
        f.pilotes.append(user)
        db.session.commit()
    return "contrib.cc@tet.test"


def test_contributeur_edits_own_fiches_only(app, login_as):
    mine = "Réaliser le schéma directeur cyclable"
    other = "Créer des aires de covoiturage aux entrées de bourg"
    client = login_as(_contributeur(app, mine))
    mine_id, other_id = fiche_id(app, mine), fiche_id(app, other)
    assert client.get(f"/admin/fiche/edit/?id={mine_id}").status_code == 200
    response = client.post(f"/admin/fiche/edit/?id={mine_id}", data=with_version(
        app, FicheAction, mine_id, {"titre": mine, "statut": "realise", "pilote_ids": [],
                                    "service": "Service mobilités"}))
    assert response.status_code == 302
    assert fiche(app, mine_id).statut == "realise"
    assert client.post(f"/admin/fiche/{mine_id}/notes", data={
        "texte": "Schéma voté en conseil."}).status_code == 302
    for response in (client.get(f"/admin/fiche/edit/?id={other_id}"),
                     client.post(f"/admin/fiche/edit/?id={other_id}",
                                 data={"titre": "X", "statut": "realise"}),
                     client.post(f"/admin/fiche/{other_id}/notes", data={"texte": "X"}),
                     client.get("/admin/fiche/new/"),
                     client.post(f"/admin/plan/{plan_id(app, 'PCAET 2024-2030')}/axe",
                                 data={"op": "ajouter", "nom": "X"}),
                     client.post("/admin/fiche/delete/", data={"id": mine_id})):
        assert response.status_code == 403
    assert fiche(app, other_id).titre == other
    # reads the rest of the collectivité
    assert client.get(f"/admin/fiche/{other_id}").status_code == 200
    assert client.get(f"/admin/plan/{plan_id(app, 'PCAET 2024-2030')}/arbre").status_code == 200


def test_admin_can_grant_the_contributeur_niveau(app, login_as, ids):
    login_as("admin_cc").post("/admin/membership/new/", data={
        "email": "benevole@val-demo.fr", "niveau": "contributeur"})
    with app.app_context():
        from tet.comptes.models import Membership, User

        m = db.session.scalar(select(Membership).join(User).where(
            User.email == "benevole@val-demo.fr"))
        assert m.niveau == "contributeur" and m.collectivite_id == ids["cc"]


def test_contributeur_cannot_change_where_its_fiche_is_filed(app, login_as):
    """Filing a fiche under axes changes the plans: not for a contributeur, even on a fiche
    it pilots (ranger page, its POST, the links to it)."""
    from tet.plans import arbre

    mine = "Réaliser le schéma directeur cyclable"
    client = login_as(_contributeur(app, mine))
    mine_id = fiche_id(app, mine)
    with app.app_context():
        before = {a.id for a in arbre.places(db.session.get(FicheAction, mine_id))}
        other_axe = db.session.scalar(select(Axe.id).where(Axe.id.not_in(before)).join(
            Plan).where(Plan.collectivite_id == db.session.get(
                FicheAction, mine_id).collectivite_id, Axe.parent_id.is_not(None)))
    assert client.get(f"/admin/fiche/{mine_id}/ranger").status_code == 403
    for axe_ids in ([], [other_axe], sorted(before | {other_axe})):
        assert client.post(f"/admin/fiche/{mine_id}/ranger",
                           data={"axe_ids": axe_ids}).status_code == 403
    with app.app_context():
        assert {a.id for a in arbre.places(db.session.get(FicheAction, mine_id))} == before
    assert "Ranger la fiche" not in client.get(f"/admin/fiche/{mine_id}").get_data(as_text=True)
    assert "/ranger" not in client.get("/admin/fiche/non-classees").get_data(as_text=True)
    # the édition niveau still files it
    assert login_as("edition_cc").post(f"/admin/fiche/{mine_id}/ranger", data=with_version(
        app, FicheAction, mine_id, {"axe_ids": sorted(before | {other_axe})})
    ).status_code == 302
