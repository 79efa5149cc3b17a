"""The frame of every page (RGAA): lang="fr", one <h1>, a <title> of its own, a skip link to
<main id="contenu">, the landmarks and the footer's legal links — over the whole menu of each
demo role, the public pages and the error pages; fields tied to their errors. No browser
(axe-core runs in tests/e2e/test_accessibilite.py)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from admin_views import gabarits
from tests.conftest import DEMO

PUBLIQUES = ["/connexion", "/inscription", "/inscription/porteur", "/mot-de-passe-oublie",
             "/accessibilite", "/mentions-legales", "/donnees-personnelles", "/plan-du-site"]


class Cadre(HTMLParser):
    """What the checks read from a page: <html lang>, headings, landmarks, the first link,
    the main menu's links, the title."""

    def __init__(self):
        super().__init__()
        self.lang, self.h1, self.title, self.first_link = None, 0, "", None
        self.tags, self.menu, self.ids = set(), [], set()
        self._in_title = self._in_menu = False
        self.unlabelled_boxes = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title" and "svg" not in self.tags:  # the page's, not a chart's
            self._in_title = True
        elif tag == "nav" and a.get("aria-label") == "Menu principal":
            self._in_menu = True
        elif tag == "a":
            if self.first_link is None:
                self.first_link = a
            href = a.get("href") or ""
            if self._in_menu and href.startswith("/admin"):
                self.menu.append(href)
        elif tag == "input" and a.get("type") == "checkbox" and "action-checkbox" in (
                a.get("class") or "") and not a.get("aria-label"):
            self.unlabelled_boxes += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "header":
            self._in_menu = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def lire(response) -> Cadre:
    cadre = Cadre()
    cadre.feed(response.get_data(as_text=True))
    return cadre


def verifier(url: str, cadre: Cadre) -> list[str]:
    """The problems of one page's frame."""
    problems = []
    if cadre.lang != "fr":
        problems.append("lang")
    if cadre.h1 != 1:
        problems.append(f"{cadre.h1} h1")
    if not cadre.title.strip().endswith(("— TeT", "— Observatoire des projets")):
        problems.append(f"titre {cadre.title!r}")
    if not (cadre.first_link and cadre.first_link.get("href") == "#contenu"
            and "contenu" in cadre.ids):
        problems.append("lien d'évitement")
    if not {"header", "main", "footer"} <= cadre.tags:
        problems.append(f"zones {sorted({'header', 'main', 'footer'} - cadre.tags)}")
    if cadre.unlabelled_boxes:
        problems.append("cases à cocher sans étiquette")
    return [f"{url}: {p}" for p in problems]


@pytest.mark.parametrize("role", list(DEMO))
def test_every_menu_page_of_each_role_has_its_frame(login_as, role):
    client = login_as(role)
    home = client.get("/admin/")
    cadre = lire(home)
    pages = list(dict.fromkeys(["/admin/"] + cadre.menu))
    assert len(pages) > 3, pages
    problems, titles = [], {}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue  # downloads (exports) are not pages
        cadre = lire(response)
        assert "/accessibilite" in response.get_data(as_text=True), url
        problems += verifier(url, cadre)
        titles.setdefault(cadre.title, []).append(url)
    assert not problems, "\n".join(problems)
    same = {t: u for t, u in titles.items() if len(u) > 1}
    assert not same, same


def test_public_and_error_pages_have_their_frame(client):
    problems = []
    for url in PUBLIQUES + ["/admin/nexiste-pas"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        problems += verifier(url, lire(response))
    assert not problems, "\n".join(problems)
    observatoire = lire(client.get("/observatoire/"))
    assert observatoire.lang == "fr" and observatoire.h1 == 1
    assert observatoire.first_link["href"] == "#contenu"


def test_accessibility_statement_is_public_and_honest(client):
    html = client.get("/accessibilite").get_data(as_text=True)
    for words in ("partiellement conforme", "Aucun audit complet", "axe-core 4.14.1",
                  "Défenseur des droits", "Établissement de cette déclaration",
                  "Environnement de test", "Contenus non accessibles"):
        assert words in html, words


def test_each_object_page_is_titled_with_the_object_and_the_contexte(app, login_as):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.comptes.models import Collectivite
    from tet.plans.models import FicheAction

    with app.app_context():
        fiches = db.session.execute(
            select(FicheAction.id, FicheAction.titre).join(Collectivite)
            .where(Collectivite.nom == "CC du Val Démo").order_by(FicheAction.id).limit(2)).all()
    client = login_as("edition_cc")
    for fiche_id, titre in fiches:
        cadre = lire(client.get(f"/admin/fiche/{fiche_id}"))
        assert cadre.title == f"Fiche : {titre} — CC du Val Démo — TeT"
        assert cadre.h1 == 1
    assert lire(client.get("/admin/")).title == "Accueil — CC du Val Démo — TeT"


def test_field_errors_are_tied_to_their_field(login_as, client):
    html = client.post("/connexion", data={"email": "", "password": ""}).get_data(as_text=True)
    assert re.search(r'aria-describedby="email-erreur"[^>]*aria-invalid="true"', html) or \
        re.search(r'aria-invalid="true"[^>]*aria-describedby="email-erreur"', html)
    assert 'id="email-erreur"' in html and "(obligatoire)" in html
    support = login_as("support")
    html = support.post("/admin/opsn/new/", data={"nom": ""}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="nom"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="nom-erreur"' in field
    assert 'id="nom-erreur"' in html


def test_maturity_questions_are_fieldsets_with_a_legend(login_as):
    client = login_as("admin_cc")
    home = client.get("/admin/maturite/").get_data(as_text=True)
    code = re.search(r'/admin/maturite/categorie/([\w-]+)', home).group(1)
    html = client.get(f"/admin/maturite/categorie/{code}").get_data(as_text=True)
    radios = html.count('type="radio"')
    assert radios and html.count("<fieldset") >= html.count('name="question_id"') >= 1
    assert re.search(r'<fieldset class="tet-question"><legend[^>]*><strong id="q\d+-texte">', html)


def test_plan_tree_buttons_are_grouped_under_their_axe(login_as, app):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import Plan

    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.nom == "PCAET 2024-2030"))
    html = login_as("edition_cc").get(f"/admin/plan/{plan_id}/arbre").get_data(as_text=True)
    assert re.search(r'<button form="tet-op" name="op" value="monter:\d+">[^<]*Monter</button>', html)
    assert re.search(r'role="group" aria-labelledby="n\d+"', html)


def test_entete_makes_the_first_heading_the_h1():
    html, texte = gabarits.entete('<nav>x</nav><h4 class="mb-3">Plan &amp; <b>axes</b></h4>'
                                  '<h5>Sous-titre</h5>', "Vue")
    assert html == ('<nav>x</nav><h1 class="tet-h1 mb-3">Plan &amp; <b>axes</b></h1>'
                    '<h5>Sous-titre</h5>')
    assert texte == "Plan & axes"
    html, texte = gabarits.entete("<p>sans titre</p>", "Fiches <action>")
    assert html == '<h1 class="tet-h1">Fiches &lt;action&gt;</h1><p>sans titre</p>'
    assert texte == "Fiches <action>"


def test_statement_counts_the_pages_the_browser_test_checks():
    from admin_views.informations import PAGES_VERIFIEES
    from tests.e2e.test_accessibilite import PAGES, PUBLIQUES

    assert PAGES_VERIFIEES == sum(map(len, PAGES.values())) + len(PUBLIQUES)
