"""Pages offer an action only when the policy allows it (``can`` in the templates, the same
function as the handler's 403): the cases the audit found by clicking through."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import DEMO
from tests.plan_helpers import plan_id
from tests.comptes.test_contributeur import _contributeur
from tet.extensions import db
from tet.plans.models import FicheAction, Plan
from tet.indicateurs.models import IndicateurDefinition
from tet.comptes.models import Collectivite, User
from tet.comptes.permissions import build_acteur
from tet.actions import can

PCAET = "PCAET 2024-2030"


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _acteur(app, role):
    user = db.session.scalar(select(User).where(User.email == DEMO.get(role, role)))
    return build_acteur(user)


@pytest.mark.parametrize("role,shown", [("lecture_cc", False), ("edition_cc", True),
                                        ("admin_cc", True), ("support", False),
                                        ("opsn_admin", False)])
def test_saisie_annuelle_is_in_the_menu_only_for_who_may_enter(app, login_as, role, shown):
    client = login_as(role)
    assert ("/admin/indicateur/saisie" in _html(client, "/admin/")) is shown
    assert (client.get("/admin/indicateur/saisie").status_code == 200) is shown


@pytest.mark.parametrize("role,shown", [("lecture_cc", False), ("edition_cc", True)])
def test_ranger_links_only_for_who_may_file(app, login_as, role, shown):
    with app.app_context():
        cc = db.session.scalar(select(Plan.collectivite_id).where(Plan.nom == PCAET))
        db.session.add(FicheAction(collectivite_id=cc, titre="Fiche à ranger"))
        db.session.commit()
    client = login_as(role)
    page = _html(client, "/admin/fiche/non-classees")
    assert "Fiche à ranger" in page
    links = re.findall(r'href="(/admin/fiche/\d+/ranger)"', page)
    assert bool(links) is shown
    fiche_page = _html(client, re.search(r'href="(/admin/fiche/\d+)"', page).group(1))
    assert ("Ranger la fiche" in fiche_page) is shown


def test_support_keeps_the_axe_tools_but_gets_no_fiche_link_on_a_collectivite_tree(
        app, login_as):
    client = login_as("support")
    page = _html(client, f"/admin/plan/{plan_id(app, PCAET)}/arbre")
    assert "Ajouter un axe" in page  # support may edit any plan
    assert "+ Fiche ici" not in page and "/admin/fiche/new/" not in page
    assert client.get("/admin/fiche/new/").status_code == 403
    edition = _html(login_as("edition_cc"), f"/admin/plan/{plan_id(app, PCAET)}/arbre")
    assert "+ Fiche ici" in edition


def test_national_indicators_have_no_pencil_for_a_collectivite(app, login_as):
    with app.app_context():
        national = db.session.scalar(select(IndicateurDefinition.id).where(
            IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id))
        own = set(db.session.scalars(select(IndicateurDefinition.id).join(
            Collectivite, Collectivite.id == IndicateurDefinition.collectivite_id).where(
            Collectivite.siren == "200099901")))
    assert own
    for role, pencils in (("admin_cc", own), ("lecture_cc", set())):
        page = _html(login_as(role), "/admin/indicateur/?page_size=100")
        edit_ids = {int(i) for i in re.findall(r'/admin/indicateur/edit/\?id=(\d+)', page)}
        assert edit_ids == pencils, role
    support = _html(login_as("support"), "/admin/indicateur/")
    assert f"/admin/indicateur/edit/?id={national}" in support


def test_indicator_page_offers_values_entry_only_when_allowed(app, login_as):
    with app.app_context():
        national = db.session.scalar(select(IndicateurDefinition.id).where(
            IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id))
    lecture = _html(login_as("lecture_cc"), f"/admin/indicateur/{national}")
    assert '<form method="post">' not in lecture and "Enregistrer les valeurs" not in lecture
    assert "Lier la fiche" not in lecture
    edition = _html(login_as("edition_cc"), f"/admin/indicateur/{national}")
    assert "Enregistrer les valeurs" in edition and "Lier la fiche" in edition


def test_contributeur_may_link_only_the_fiches_they_pilot(app, login_as):
    mine = "Réaliser le schéma directeur cyclable"
    client = login_as(_contributeur(app, mine))
    with app.app_context():
        national = db.session.scalar(select(IndicateurDefinition.id).where(
            IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id))
    page = _html(client, f"/admin/indicateur/{national}")
    options = re.findall(r'<option value="\d+">([^<]+)</option>', page.split("Fiche à lier")[1])
    assert options == [mine]


ACTIONS = [  # (action, object finder, roles allowed)
    ("modifier", lambda: db.session.scalar(select(Plan).where(Plan.nom == PCAET)),
     {"support", "admin_cc", "edition_cc"}),
    ("creer_fiche", lambda: db.session.scalar(select(Plan).where(Plan.nom == PCAET)),
     {"admin_cc", "edition_cc"}),
    ("saisir_valeurs", lambda: None, {"admin_cc", "edition_cc", "admin_ville"}),
    ("modifier", lambda: db.session.scalar(select(IndicateurDefinition).where(
        IndicateurDefinition.collectivite_id.is_(None))), {"support"}),
    ("creer", lambda: Plan, {"admin_cc", "edition_cc", "admin_ville"}),
]


@pytest.mark.parametrize("action,find,allowed", ACTIONS)
def test_can_answers_per_role(app, action, find, allowed):
    with app.app_context():
        obj = find()
        for role in DEMO:
            assert can(_acteur(app, role), action, obj) is (role in allowed), (action, role)
        assert can(build_acteur(None), action, obj) is False


def test_row_by_row_checks_cost_no_query_per_row(app, login_as):
    """The contributeur's pencils are asked row by row: the fiches they pilot are loaded
    once per request, whatever the number of rows."""
    from tests.test_query_counts import count_queries

    client = login_as(_contributeur(app, "Réaliser le schéma directeur cyclable"))
    for url in ("/admin/fiche/?page_size=20", "/admin/fiche/non-classees"):
        with count_queries(app) as small:
            assert client.get(url).status_code == 200
        with app.app_context():
            cc = db.session.scalar(select(Plan.collectivite_id).where(Plan.nom == PCAET))
            db.session.add_all(FicheAction(collectivite_id=cc, titre=f"Aaa fiche {i}")
                               for i in range(15))
            db.session.commit()
        with count_queries(app) as big:
            assert client.get(url).status_code == 200
        assert big["n"] == small["n"], url
