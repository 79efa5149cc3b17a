"""axe-core on the main pages of each demo role: no serious or critical violation (RGAA 4.1).

Each page is also screenshotted (``$E2E_SCREENSHOTS``, one file per role and page). The
pages are the ones the « Déclaration d'accessibilité » says were checked
(templates/informations/accessibilite.html): keep both lists together.
"""
from __future__ import annotations

import pytest

from tests.e2e.navigateur import axe_violations, capture, connexion


@pytest.fixture
def ids(app, tmp_path):
    """The demo call for projects loaded (seeds/demo_projets.py), and the ids of the demo
    objects the pages show."""
    from sqlalchemy import select

    from seeds.demo_projets import load_demo_projets
    from tet.comptes.models import Collectivite
    from tet.extensions import db
    from tet.maturite.models import Categorie
    from tet.plans.models import FicheAction, Plan
    from tet.projets.models.appels import AppelAProjets
    from tet.projets.models.dossiers import Candidature, Dossier, Organisation

    before = app.config.get("DOCUMENTS_FOLDER")
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    with app.app_context():
        load_demo_projets()
        fiche = db.session.scalar(select(FicheAction.id).join(Collectivite).where(
            Collectivite.nom == "CC du Val Démo").order_by(FicheAction.id))
        plan = db.session.scalar(select(Plan.id).where(Plan.nom == "PCAET 2024-2030"))
        categorie = db.session.scalar(select(Categorie.code).order_by(Categorie.id))
        appel = db.session.scalar(select(AppelAProjets.id).order_by(AppelAProjets.id))
        dossier = db.session.scalar(
            select(Dossier.id).join(Organisation)
            .where(Organisation.nom == "Énergies Citoyennes du Val").order_by(Dossier.id))
        candidature = db.session.scalar(
            select(Candidature.id).where(Candidature.appel_id == appel)
            .where(Candidature.statut != "brouillon").order_by(Candidature.id))
    yield dict(fiche=fiche, plan=plan, categorie=categorie, appel=appel, dossier=dossier,
               candidature=candidature)
    app.config["DOCUMENTS_FOLDER"] = before


PAGES = {
    "support@tet.test": [
        "/admin/", "/admin/validations/", "/admin/collectivite/", "/admin/user/",
        "/admin/opsn/", "/admin/maturite-nationale/", "/admin/auditlog/",
        "/admin/exports-partenaires/", "/plan-du-site"],
    "opsn.admin@tet.test": [
        "/admin/", "/admin/opsn-espace/", "/admin/rattachement/", "/admin/opsnmembership/"],
    "admin.cc@tet.test": [
        "/admin/", "/admin/fiche/", "/admin/fiche/{fiche}", "/admin/fiche/edit/?id={fiche}",
        "/admin/plan/", "/admin/plan/{plan}/arbre", "/admin/plan/{plan}/tableau-de-bord",
        "/admin/plan/{plan}/calendrier", "/admin/maturite/", "/admin/maturite/categorie/{categorie}",
        "/admin/indicateur/", "/admin/membership/", "/admin/auditlog/",
        "/admin/projets/appels/", "/admin/projets/appels/details/?id={appel}",
        "/admin/notifications/"],
    "edition.cc@tet.test": [
        "/admin/", "/admin/fiche/new/", "/admin/fiche/{fiche}", "/admin/plan/{plan}/arbre",
        "/admin/inspiration/"],
    "lecture.cc@tet.test": [
        "/admin/", "/admin/fiche/{fiche}", "/admin/plan/{plan}/arbre", "/admin/maturite/"],
    "porteur.asso@tet.test": [
        "/admin/", "/admin/mes-dossiers/", "/admin/mes-dossiers/{dossier}",
        "/admin/mes-candidatures/", "/admin/mon-organisation/"],
    "comite1@tet.test": [
        "/admin/", "/admin/comite/", "/admin/comite/appel/{appel}",
        "/admin/comite/candidature/{candidature}"],
}
PUBLIQUES = ["/connexion", "/inscription", "/inscription/porteur", "/mot-de-passe-oublie",
             "/accessibilite", "/mentions-legales", "/donnees-personnelles", "/plan-du-site",
             "/observatoire/"]


def _nom(email: str, path: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in path.strip("/")) or "accueil"
    return f"a11y-{email.split('@')[0]}-{slug}"[:120]


def _check(page, email, path, problems):
    found = axe_violations(page)
    for v in found:
        problems.append(f"{email} {path} — {v['impact']} {v['id']}: {v['help']} {v['nodes']}")
    capture(page, _nom(email, path))


@pytest.mark.parametrize("email", list(PAGES))
def test_pages_of_each_role_are_accessible(server, browser, ids, email):
    page = connexion(browser, server, email)
    problems: list[str] = []
    for path in PAGES[email]:
        url = path.format(**ids)
        response = page.goto(server + url)
        assert response.status == 200, (email, url, response.status)
        _check(page, email, url, problems)
    assert not problems, "\n".join(problems)


def test_public_pages_are_accessible(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    problems: list[str] = []
    for path in PUBLIQUES:
        response = page.goto(server + path)
        assert response.status == 200, (path, response.status)
        _check(page, "public", path, problems)
    # a form sent with errors: each message is tied to its field
    page.goto(server + "/connexion")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 1
    described = invalid.first.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").inner_text().strip()
    _check(page, "public", "/connexion-erreurs", problems)
    assert not problems, "\n".join(problems)


def test_skip_link_and_keyboard_on_the_plan_tree(server, browser, ids):
    """Tab first reaches « Aller au contenu », which moves the focus to <main>; the tree's
    move buttons are reached by keyboard and work with Enter."""
    page = connexion(browser, server, "edition.cc@tet.test", f"/admin/plan/{ids['plan']}/arbre")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    button = page.locator("#plan-tree .tet-axe-tools button", has_text="Descendre").first
    axe_id = button.get_attribute("value").split(":")[1]
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    second = page.locator("#plan-tree > .tet-children > .tet-axe").nth(1)
    assert second.get_attribute("data-axe") == axe_id
