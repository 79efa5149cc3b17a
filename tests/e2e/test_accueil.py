"""Each role's home page in a real browser: its blocks are there, axe-core finds no serious
violation, and a screenshot is taken (``$E2E_SCREENSHOTS``)."""
from __future__ import annotations

import pytest

from tests.e2e.navigateur import axe_violations, capture, connexion

MES_BLOCS = "#accueil-chiffres, [id^=bloc-]"


def _violations_des_blocs(page) -> list[str]:
    """axe-core's serious / critical violations inside the home's own blocks (the layout
    around them is checked by tests/e2e/test_accessibilite.py)."""
    return [f"{v['id']}: {target}" for v in axe_violations(page) for target in v["nodes"]
            if page.evaluate("([t, s]) => !!document.querySelector(t)?.closest(s)",
                             [target, MES_BLOCS])]


@pytest.mark.parametrize("email,blocs", [
    ("support@tet.test", ["#bloc-validations", "#bloc-inscriptions", "#bloc-imports-exports"]),
    ("opsn.admin@tet.test", ["#bloc-demandes", "#bloc-accompagnees"]),
    ("admin.cc@tet.test", ["#bloc-demandes", "#bloc-rattachement", "#bloc-mes-fiches",
                           "#bloc-journal"]),
    ("edition.cc@tet.test", ["#bloc-mes-fiches", "#bloc-retard", "#bloc-echeances",
                             "#bloc-maturite", "#bloc-journal"]),
    ("lecture.cc@tet.test", ["#bloc-mes-fiches", "#bloc-journal"]),
])
def test_home_of_each_role(server, browser, email, blocs):
    page = connexion(browser, server, email)
    for bloc in blocs:
        assert page.locator(bloc).is_visible(), bloc
    assert page.locator("#accueil-chiffres .card").count() >= 4
    assert _violations_des_blocs(page) == []
    capture(page, "accueil-" + email.split("@")[0])


def test_account_page_turns_the_digest_off(server, browser):
    page = connexion(browser, server, "edition.cc@tet.test")
    with page.expect_navigation():
        page.click("#lien-mon-compte")
    page.click("label[for=digest-non]")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Vous ne recevrez plus le résumé hebdomadaire" in page.inner_text(".alert")
    assert page.get_by_label("Non, je ne veux plus le recevoir").is_checked()
    assert [v for v in axe_violations(page)
            if page.evaluate("t => !!document.querySelector(t)?.closest('#preferences-digest')",
                             v["nodes"][0])] == []
    capture(page, "mon-compte")
