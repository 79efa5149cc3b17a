"""Helpers of the browser tests: sign in, run axe-core, take screenshots."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PASSWORD = "tet-demo"


def connexion(browser, server, email, path="/admin/"):
    """A new page signed in as ``email`` (demo password), opened at ``path``."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page.goto(server + "/connexion")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/**")
    if path != "/admin/":
        page.goto(server + path)
    return page


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through the debugging protocol: the page's CSP (script-src 'self') allows
        # no inline script tag, and a test must not weaken it
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def assert_accessible(page):
    """No serious or critical axe-core violation on the page."""
    found = axe_violations(page)
    assert not found, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — {v['nodes']}" for v in found)


def capture(page, name: str) -> None:
    """Screenshot the whole page into ``$E2E_SCREENSHOTS`` (when set)."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
