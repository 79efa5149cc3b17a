"""No English and no raw code left: every page of the menu of each demo role, each list's
first details, edit and create pages, read as a person sees them (text, titles, field
hints, button captions; not the markup)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

ROLES = ["support", "opsn_admin", "admin_cc", "edition_cc", "lecture_cc", "admin_ville"]
ENGLISH = re.compile(r"\b(items?|Toggle|List|Create|Delete|Edit|Search|Save|Cancel|Filters?|"
                     r"Export|Are you sure|Record|Home|Apply|With selected|Details|Yes|No|"
                     r"Submit|Next|Previous|None|True|False|nan|Add|New|Select|Sort by|"
                     r"There are no)\b")
# a stored code shown as such: snake_case (a_venir, en_attente…), the maturity ones, or a
# référentiel action without its name (« cae_1.2.3 » alone); an indicator's identifiant
# (« cae_1.a », « eci_4 ») is its own column, allowed
RAW_CODE = re.compile(r"(?<![\w.@/-])((?!(?:cae|eci)_\d)[a-z]+_[a-z0-9_]+|necessaire|nsp)"
                      r"(?![\w@/-])|^(cae|eci)_\d+(\.\d+)+$")
# the audit log and a fiche's « Historique » (« champ : avant → après ») are the readable
# history's work (helper « historique »), checked by its own tests
HISTORY = "/admin/auditlog/"
CHANGE = re.compile(r"^\S.* : .* → ")
LIMIT = 35  # pages per role
WRITES = ("export", "supprimer", "delete", "lire", "accepter", "refuser", "imprimer", "pdf",
          "telecharger", "fichier", "piece", "document")
SKIP = ("/admin/static", "/admin/export", "/deconnexion", "/admin/fiche/export",
        "/admin/plan/export")


class VisibleText(HTMLParser):
    """The text a person reads: text nodes, ``title``, ``placeholder``, button captions."""

    HIDDEN = {"script", "style", "template", "textarea", "code"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._data = False

    DATA = {"filter-groups-data", "active-filters-data"}  # JSON read by Flask-Admin's script

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._data = attrs.get("id") in self.DATA
        if tag in self.HIDDEN:
            self._hidden += 1
        for name in ("title", "placeholder"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(self._hidden - 1, 0)

    def handle_data(self, data):
        if not self._hidden and not self._data and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/admin/[^"#]*)"', html)]


def _pages(client) -> dict[str, str]:
    """The menu's pages, then the pages they link to (one per path: a list's first details,
    edit and create pages, a plan's tree, a fiche…), GET only, at most LIMIT."""
    home = client.get("/admin/").get_data(as_text=True)
    menu = dict.fromkeys(h for h in _links(home) if "?" not in h and not h.startswith(SKIP))
    pages, seen = {}, set()

    def visit(link):
        path = urlsplit(link).path
        if path in seen or link.startswith(SKIP) or len(seen) >= LIMIT or any(
                word in path for word in WRITES):
            return None
        seen.add(path)
        response = client.get(link)
        if response.status_code != 200 or "text/html" not in response.content_type:
            return None
        pages[link] = response.get_data(as_text=True)
        return pages[link]

    second = []
    for link in ["/admin/", *menu]:
        html = visit(link)
        second += _links(html) if html else []
    for link in second:
        visit(link)
    return pages


@pytest.fixture(scope="module")
def crawled(_app):
    """Every role's pages, read once for the module (the seeded data, nothing written)."""
    from tests.conftest import DEMO, _restore, login
    from tet.extensions import db

    with _app.app_context():
        _restore(_app.extensions["tet_snapshot"])
        db.session.remove()
    found = {}
    for role in ROLES:
        client = _app.test_client()
        assert login(client, DEMO[role]).status_code == 302
        found[role] = _pages(client)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_english_word_on_any_page(crawled, role):
    pages = crawled[role]
    assert len(pages) > 5, f"{role} : trop peu de pages parcourues ({list(pages)})"
    found = {f"{url} : « {text} »" for url, html in pages.items() if not url.startswith(HISTORY)
             for text in visible(html) if ENGLISH.search(text) and not CHANGE.match(text)}
    assert not found, "\n".join(sorted(found))


@pytest.mark.parametrize("role", ROLES)
def test_no_raw_code_on_any_page(crawled, role):
    found = {f"{url} : « {text} »" for url, html in crawled[role].items()
             if not url.startswith(HISTORY) for text in visible(html)
             if RAW_CODE.search(text) and not CHANGE.match(text)}
    assert not found, "\n".join(sorted(found))


def test_page_size_menu_and_row_actions_are_french(crawled):
    text = " | ".join(visible(crawled["support"]["/admin/fiche/"]))
    assert "20 par page" in text and "50 par page" in text and "items" not in text
    assert "Voir le détail" in text and "Exporter (Excel)" in text and "Rechercher" in text
    users = " | ".join(visible(crawled["support"]["/admin/collectivite/"]))
    assert "Ajouter un filtre" in users  # Flask-Admin's own French catalogue (domain « admin »)


def test_flask_admin_messages_in_the_project_words(app, ids, login_as):
    from sqlalchemy import select
    from werkzeug.datastructures import MultiDict

    from tests.formulaires import form_fields, replace
    from tet.extensions import db
    from tet.plans.models import Plan

    with app.app_context():
        pid = db.session.scalar(select(Plan.id).where(Plan.collectivite_id == ids["cc"]))
    client = login_as("admin_cc")
    url = f"/admin/plan/edit/?id={pid}"
    fields = form_fields(client.get(url).get_data(as_text=True),
                         lambda f: any(k == "version" for k, _v in f["fields"]))
    page = client.post(url, data=MultiDict(replace(fields, description="Nouvelle")),
                       follow_redirects=True).get_data(as_text=True)
    assert "Modifications enregistrées." in page and "A été enregistrée" not in page


def test_flask_admin_deletion_messages_agree(app):
    from admin_views.francais import _reworded

    with app.test_request_context():
        assert _reworded("L'objet a bien été détruit.") == "Élément supprimé."
        assert _reworded("Les 3 objets ont bien été détruits.") == "3 éléments supprimés."
        assert _reworded("Record was successfully deleted.") == "Élément supprimé."
        assert _reworded("Un message du projet.") == "Un message du projet."
