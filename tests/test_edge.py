"""The HTTP edge: links in e-mails from PUBLIC_URL (never the Host header), security
headers, and pages that run under the CSP (no inline script, handler or style)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tet.extensions import db
from tet.http_security import CSP
from tet.plans.models import FicheAction, Plan
from tet.indicateurs.models import IndicateurDefinition

PUBLIC = "https://tet.exemple.fr"
FORGED = {"Host": "pirate.example"}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    return PUBLIC


def _signed_in(login_as, who: str):
    """A signed-in client whose session cookie is also sent to the forged host."""
    client = login_as(who)
    value = client.get_cookie("session", domain="tet.test").value
    client.set_cookie("session", value, domain=FORGED["Host"])
    return client


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_reset_mail_link_ignores_a_forged_host(app, client, outbox, public_url):
    client.post("/mot-de-passe-oublie", data={"email": "edition.cc@tet.test"}, headers=FORGED)
    [link] = _links(outbox[-1]["body"])
    assert link.startswith(f"{PUBLIC}/reinitialiser/")


def test_invitation_and_notification_links_ignore_a_forged_host(app, login_as, outbox,
                                                                public_url, ids):
    _signed_in(login_as, "admin_cc").post("/admin/membership/new/", headers=FORGED,
                              data={"email": "nouvelle@val-demo.fr", "niveau": "lecture"})
    client = _signed_in(login_as, "admin_ville")
    client.post(f"/admin/rattachement/{ids['ratt_ville']}/annuler", headers=FORGED)
    client.post("/admin/rattachement/demander/", headers=FORGED,
                data={"opsn_id": ids["opsn"], "message": "Bonjour"})
    app.test_client().post("/inscription/rejoindre/200099901", headers=FORGED, data={
        "email": "candidat@val-demo.fr", "prenom": "Camille", "nom_user": "Candidat",
        "password": "un-long-mot-de-passe", "confirm": "un-long-mot-de-passe"})
    links = [link for mail in outbox for link in _links(mail["body"])]
    assert any("/reinitialiser/" in link for link in links)  # the invitation
    assert any("/admin/rattachement/" in link for link in links)
    assert links and all(link.startswith(PUBLIC + "/") for link in links), links


def test_no_link_is_built_from_the_request_host():
    """Guard: absolute URLs come from tet.liens_publics.public_url only."""
    pattern = re.compile(r"_external\s*=\s*True|host_url|url_root|request\.host\b")
    offenders = [str(p.relative_to(ROOT)) for folder in ("tet", "admin_views", "forms")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_security_headers(client):
    response = client.get("/connexion")
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self';" in CSP and "'unsafe-inline'" not in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # production only


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
                           re.I)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I)


def _pages(app, ids) -> list[str]:
    with app.app_context():
        plan = db.session.scalar(select(Plan.id).where(Plan.collectivite_id == ids["cc"]))
        fiche = db.session.scalar(select(FicheAction.id).where(
            FicheAction.collectivite_id == ids["cc"]))
        indicateur = db.session.scalar(select(IndicateurDefinition.id))
    static = ["/connexion", "/mot-de-passe-oublie", "/inscription",
              "/inscription/rejoindre/200099901",
              f"/admin/plan/{plan}/arbre", f"/admin/plan/{plan}/calendrier",
              f"/admin/plan/{plan}/tableau-de-bord", f"/admin/fiche/{fiche}",
              f"/admin/indicateur/{indicateur}",
              f"/admin/user/edit/?id={ids['users']['lecture.cc@tet.test']}",
              "/admin/membership/new/", "/admin/plan/new/", "/admin/fiche/new/"]
    walk = [rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.rule.startswith("/admin")
            and "static" not in rule.endpoint and "export" not in rule.rule]
    return static + walk


@pytest.mark.parametrize("who", ["support", "admin_cc", "opsn_admin"])
def test_pages_have_no_inline_script_handler_or_style(app, login_as, ids, who):
    client = login_as(who)
    checked = 0
    for url in _pages(app, ids):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        checked += 1
        assert not INLINE_SCRIPT.findall(html), url
        assert [m.group(0) for m in HANDLER.finditer(html)] == [], url
        assert not STYLE_ATTR.findall(html), url
        if "/admin" in url:
            assert "js/tet.js" in html, url
    assert checked > 10
