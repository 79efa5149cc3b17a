"""A real browser against a real server: sign in as each demo role and look at the home page.

Fixtures and conditions in ``conftest.py``.
"""
from __future__ import annotations

import pytest

from tests.e2e.navigateur import capture, connexion
from tests.e2e.parcours import glisser


@pytest.mark.parametrize("email,expected", [
    ("support@tet.test", "Tableau de bord — support national"),
    ("opsn.admin@tet.test", "OPSN Démo — espace OPSN"),
    ("admin.cc@tet.test", "CC du Val Démo"),
    ("lecture.cc@tet.test", "CC du Val Démo"),
    ("admin.ville@tet.test", "Ville d'Exemple"),
])
def test_each_role_signs_in_and_sees_its_home(server, browser, email, expected):
    page = connexion(browser, server, email)
    assert expected in page.inner_text("h1")
    capture(page, email.split("@")[0])
    page.click("text=Se déconnecter")
    page.wait_for_url("**/connexion")


def _edition_page(browser, server, path):
    """A page opened by the édition member of the CC."""
    return connexion(browser, server, "edition.cc@tet.test", path)


def test_drag_and_drop_moves_an_axe(server, browser, app):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import Axe, Plan
    from tet.plans import arbre

    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.nom == "PCAET 2024-2030"))
        plan_id = plan.id
    page = _edition_page(browser, server, f"/admin/plan/{plan_id}/arbre")
    handles = page.locator("#plan-tree > .tet-children > .tet-axe > summary .tet-drag")
    assert handles.count() == 4 and handles.first.is_visible()
    glisser(page, handles.nth(1), handles.nth(0))  # "2. Mobilités durables" onto "1."
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        names = [a.nom for a in arbre.siblings(plan_id, arbre.root_of(plan).id)]
        moved = db.session.scalar(select(Axe).where(Axe.nom == "2. Mobilités durables"))
        new_place = (moved.parent_id, moved.position)
    # dropped on "1.", it lands before it or inside it depending on the pointer: either
    # way the new order was saved through the same form the no-JS page uses
    assert names[1:2] != ["2. Mobilités durables"], names
    assert new_place[0] is not None


def test_rename_an_axe_from_the_tree_page(server, browser, app):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import Axe, Plan

    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.nom == "PCAET 2024-2030"))
        axe_id = db.session.scalar(select(Axe.id).where(Axe.nom == "2. Mobilités durables"))
    page = _edition_page(browser, server, f"/admin/plan/{plan_id}/arbre")
    with page.expect_navigation():  # « Renommer, déplacer… »: the axe's page holds the rename form
        page.locator(f"#axe-{axe_id} > .tet-axe-tools > a", has_text="Renommer, déplacer…").click()
    field = page.get_by_label("Nouveau titre")
    assert field.input_value() == "2. Mobilités durables"
    field.fill("2. Mobilités douces")
    with page.expect_navigation():
        page.get_by_role("button", name="Renommer").click()
    assert "Axe renommé." in page.inner_text(".alert")
    with app.app_context():
        assert db.session.get(Axe, axe_id).nom == "2. Mobilités douces"
