"""A real browser against a real server: sign in as each demo role and look at the home page.

Needs Playwright (``pip install playwright``) and Debian's Chromium (``apt-get install
chromium``); skipped otherwise, and always in CI (``CI`` set). Screenshots go to
``$E2E_SCREENSHOTS`` when given.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

pytestmark = [
    pytest.mark.e2e,
    # the threaded dev server leaks a static file handle when the browser aborts a request
    # on reload: not the application's doing
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if os.environ.get("CI"):
    pytest.skip("tests navigateur jamais lancés en CI", allow_module_level=True)
if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium absent (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright absent")


@pytest.fixture
def server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SERVER_NAME"] = None
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    app.config["SERVER_NAME"] = "tet.test"


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("email,expected", [
    ("support@tet.test", "Tableau de bord — support national"),
    ("opsn.admin@tet.test", "OPSN Démo — espace OPSN"),
    ("admin.cc@tet.test", "CC du Val Démo"),
    ("lecture.cc@tet.test", "CC du Val Démo"),
    ("admin.ville@tet.test", "Ville d'Exemple"),
])
def test_each_role_signs_in_and_sees_its_home(server, browser, email, expected):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(server + "/connexion")
    page.fill("#email", email)
    page.fill("#password", "tet-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    assert expected in page.inner_text("h4")
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, email.split("@")[0] + ".png"), full_page=True)
    page.click("text=Se déconnecter")
    page.wait_for_url("**/connexion")


def _edition_page(browser, server, path):
    """A page opened by the édition member of the CC."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(server + "/connexion")
    page.fill("#email", "edition.cc@tet.test")
    page.fill("#password", "tet-demo")
    page.click("button[type=submit]")
    page.goto(server + path)
    return page


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
    source = handles.nth(1).bounding_box()  # "2. Mobilités durables"
    target = handles.nth(0).bounding_box()
    page.mouse.move(source["x"] + 4, source["y"] + 4)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(source["x"] + 4, source["y"] + 4 - (source["y"] - target["y"] + 8) * step / 10)
    with page.expect_navigation():  # the drop posts the move, then reloads the page
        page.mouse.up()
    page.wait_for_load_state("load")
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
