"""Shared steps of the journeys (tests/e2e/test_parcours_*.py): a page per person, the
e-mailed links, form submissions that wait for the next page, and the axe-core check.

The axe-core check of each journey page is strict: a serious or critical violation fails
the journey. ``E2E_AXE=rapport`` only records them (printed at the end of the run and
written to ``$E2E_SCREENSHOTS/axe.txt``), to survey a page under work.
"""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from tests.e2e.navigateur import PASSWORD, assert_accessible, axe_violations, capture

TIMEOUT_MS = 15_000  # generous for a loaded 2-core CI machine, but bounded
AXE_STRICT = os.environ.get("E2E_AXE", "strict") != "rapport"
AXE_REPORT: dict[str, list[dict]] = {}  # "journey · page" → violations, when not strict


def nouvelle_page(browser):
    """A fresh browser context (its own cookies) and its page, with the journeys' timeouts."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR",
                                  accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


def se_connecter(browser, server, email, password=PASSWORD, path=None):
    """A new context signed in as ``email``; opened at ``path`` when given."""
    page = nouvelle_page(browser)
    page.goto(server + "/connexion")
    page.fill("#email", email)
    page.fill("#password", password)
    soumettre(page, page.locator("button[type=submit]"))
    assert "/admin/" in page.url, (email, page.url, page.inner_text("body")[:500])
    if path:
        page.goto(server + path)
    return page


def soumettre(page, cible):
    """Click ``cible`` (a locator) and wait for the page it leads to."""
    with page.expect_navigation():
        cible.click()
    page.wait_for_load_state("load")


def glisser(page, poignee, cible):
    """Drag the handle ``poignee`` above ``cible`` (locators; Sortable.js on the plan tree)
    by small mouse steps, then wait for the page the drop reloads."""
    a, b = poignee.bounding_box(), cible.bounding_box()
    page.mouse.move(a["x"] + 4, a["y"] + 4)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(a["x"] + 4, a["y"] + 4 - (a["y"] - b["y"] + 8) * step / 10)
    with page.expect_navigation():  # the drop posts the move, then reloads the page
        page.mouse.up()
    page.wait_for_load_state("load")


def lien_du_courriel(outbox, to: str, chemin: str) -> str:
    """The path (``chemin`` is its first segment, e.g. ``/reinitialiser/``) of the link of the
    last e-mail sent to ``to``; e-mails link to ``PUBLIC_URL``, the test server is elsewhere."""
    mails = [m for m in outbox if to in m["to"]]
    assert mails, f"aucun courriel pour {to} : {[m['subject'] for m in outbox]}"
    for url in re.findall(r"https?://\S+", mails[-1]["body"]):
        path = urlsplit(url)
        if path.path.startswith(chemin):
            return path.path + (f"?{path.query}" if path.query else "")
    raise AssertionError(f"pas de lien {chemin} dans : {mails[-1]['body']}")


def texte(cible, selector: str = "body") -> str:
    """The text of a locator (or of ``selector`` in a page) as written in the HTML, spaces
    normalised: ``textContent``, not the rendered ``innerText`` (CSS upper-cases badges)."""
    if hasattr(cible, "goto"):
        cible = cible.locator(selector)
    return " ".join((cible.first.text_content() or "").split())


def titre(page) -> str:
    """The page's title: its ``<h1>``, or the ``<h4>`` the back-office used before the one
    ``<h1>`` per page of the DSFR work."""
    for tag in ("h1", "h4"):
        if page.locator(tag).count():
            return texte(page.locator(tag))
    return ""


def flash(page) -> str:
    """The text of the flashed messages of the page."""
    return " ".join(page.locator(".alert").all_text_contents())


def accessibilite(page, parcours: str, nom: str) -> None:
    """axe-core on the page: asserted when strict, else recorded for the report."""
    if AXE_STRICT:
        assert_accessible(page)
        return
    found = axe_violations(page)
    if found:
        AXE_REPORT[f"{parcours} · {nom} ({urlsplit(page.url).path})"] = found


def fin(page, parcours: str) -> None:
    """The journey's last page: checked by axe-core and screenshotted."""
    accessibilite(page, parcours, "dernière page")
    capture(page, parcours)


def rapport_axe() -> str:
    lines = []
    for where, violations in AXE_REPORT.items():
        lines.append(where)
        lines += [f"  {v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'][:3])}"
                  for v in violations]
    return "\n".join(lines)
