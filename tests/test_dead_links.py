"""No dead links: for each demo role (and a contributeur), every link and every form a page shows is one the
role may follow. Links are followed (GET, never 403); forms are submitted as shown, with
their own fields, but nothing they write is kept (``commit`` only flushes, the request's
transaction is then rolled back), and they must not be refused either."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from tests.conftest import DEMO
from tests.formulaires import Page
from tet.extensions import db

ROLES = ["support", "opsn_admin", "admin_cc", "edition_cc", "lecture_cc", "admin_ville",
         "contributeur"]
MAX_PAGES = 160
SKIP_FORMS = {"auth.logout", "auth.switch_contexte"}  # the session, not a permission
SKIP_LINKS = ("/connexion", "/deconnexion", "/static/")
IGNORED_KEYS = {"url", "sort", "desc", "page", "page_size", "search"}  # same page again


def pattern(url: str) -> str:
    """One visit per kind of page: ids and query values do not make a new kind."""
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query)
                   if k not in IGNORED_KEYS and not k.startswith("flt")})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def endpoint_of(app, url: str, method: str) -> tuple[str | None, dict]:
    adapter = app.url_map.bind("tet.test")
    try:
        return adapter.match(urlsplit(url).path, method=method.upper())
    except Exception:
        return None, {}


@pytest.fixture
def no_commit(monkeypatch):
    """Inside the probe, ``commit`` flushes only: the request's work is rolled back when
    its session is removed."""
    def probe(enabled: bool):
        if enabled:
            monkeypatch.setattr(Session, "commit", Session.flush)
        else:
            monkeypatch.undo()
    return probe


class Crawler:
    """Breadth-first over the /admin pages one role sees, collecting what it may not use.

    Each kind of page is opened once; each kind of form (endpoint and ``op``) is submitted
    once. The pencil and the bin of every list row are checked against the policy their
    handler asks (``tet.actions``), row by row."""

    ROW_ACTIONS = {"edit_view": "modifier", "delete_view": "supprimer"}

    def __init__(self, app, client, email, no_commit):
        self.app, self.client, self.no_commit = app, client, no_commit
        self.email = email
        self.models = {v.endpoint: v.model for v in app.extensions["tet_admin"]._views
                       if hasattr(v, "model")}
        self.seen, self.seen_forms, self.refused, self.pages = set(), set(), [], 0
        self.rows_checked = 0

    def run(self):
        queue = ["/admin/"]
        while queue and self.pages < MAX_PAGES:
            url = queue.pop(0)
            response = self.client.get(url)
            html = response.status_code == 200 and "text/html" in response.content_type
            body = response.get_data(as_text=True) if html else ""
            response.close()
            if response.status_code == 403:
                self.refused.append(f"GET {url}")
            if not html:
                continue
            self.pages += 1
            page = Page()
            page.feed(body)
            queue += self.links(url, page.links)
            for form in page.forms:
                self.form(url, form)

    def links(self, url, hrefs) -> list[str]:
        found = []
        for href in hrefs:
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if (not target or parts.netloc not in ("", "tet.test")
                    or not parts.path.startswith("/admin")
                    or any(parts.path.startswith(s) for s in SKIP_LINKS)):
                continue
            target = parts.path + ("?" + parts.query if parts.query else "")
            self.row_action(target, "get", dict(parse_qsl(parts.query)))
            if pattern(target) not in self.seen:
                self.seen.add(pattern(target))
                found.append(target)
        return found

    def form(self, url, form):
        action = urljoin(url, form["action"] or url)
        endpoint, _args = endpoint_of(self.app, action, form["method"])
        if form["method"] != "post" or endpoint in SKIP_FORMS:
            return
        fields = dict(form["fields"])
        self.row_action(action, "post", fields)
        key = (endpoint, fields.get("op"))
        if key in self.seen_forms:
            return
        self.seen_forms.add(key)
        self.no_commit(True)
        try:
            answer = self.client.post(action, data=MultiDict(form["fields"]))
            answer.close()
        finally:
            self.no_commit(False)
        if answer.status_code == 403:
            self.refused.append(f"POST {action} {fields.get('op') or ''} (depuis {url})")

    def row_action(self, url, method, params):
        """A list row's edit link or delete form: asked of the policy for that very row."""
        endpoint, _args = endpoint_of(self.app, url, method)
        view, _sep, name = (endpoint or "").rpartition(".")
        if name not in self.ROW_ACTIONS or view not in self.models or not params.get("id"):
            return
        from tet.comptes.models import User
        from tet.comptes.permissions import build_acteur
        from tet.actions import can

        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == self.email))
            obj = db.session.get(self.models[view], int(params["id"]))
            if obj is not None and not can(build_acteur(user), self.ROW_ACTIONS[name], obj):
                self.refused.append(f"{method.upper()} {url} (ligne {params['id']})")
            self.rows_checked += 1


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_link_or_form_the_role_may_not_use(app, login_as, no_commit, role):
    if role == "contributeur":  # pilote of one fiche of the CC
        from tests.comptes.test_contributeur import _contributeur

        email = _contributeur(app, "Réaliser le schéma directeur cyclable")
    else:
        email = DEMO[role]
    crawler = Crawler(app, login_as(email), email, no_commit)
    crawler.run()
    assert crawler.pages > 10
    assert crawler.refused == [], "\n".join(crawler.refused)


def test_observatoire_has_no_dead_link_for_an_anonymous_visitor(app, client):
    """The public observatoire, without login: every link it shows answers 200 (its own
    pages, the login), it shows no form (GET only, no CSRF), and it links to the login."""
    from seeds.demo_projets import load_demo_projets

    with app.app_context():
        load_demo_projets()
    queue, seen, bad, links_out = ["/observatoire/"], {"/observatoire/"}, [], set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200:
            bad.append(f"{url} → {response.status_code}")
            continue
        assert "Set-Cookie" not in response.headers, url
        page = Page()
        page.feed(response.get_data(as_text=True))
        assert page.forms == [], url
        for href in page.links:
            parts = urlsplit(urljoin(url, href).split("#")[0])
            target = parts.path + ("?" + parts.query if parts.query else "")
            if not parts.path.startswith("/observatoire/"):
                links_out.add(parts.path)
            elif pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append(target)
    assert bad == [], "\n".join(bad)
    informations = {"/accessibilite", "/mentions-legales", "/donnees-personnelles",
                    "/plan-du-site"}  # the footer's legal links
    assert links_out == {"/connexion"} | informations and len(seen) >= 5, (links_out, seen)
    for url in {"/connexion"} | informations:
        assert client.get(url).status_code == 200, url
