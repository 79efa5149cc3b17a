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

pytestmark = pytest.mark.e2e
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
