"""Every registered route, fed malformed ids, page numbers and numbers, answers below 500.

The walk is generic: path arguments are replaced by hostile values, every GET route gets
hostile query strings (``page``, ``id``, ``sort``, ``search``, filters…), and every POST
route is posted the names of the fields its own form shows (read from the GET page, plus the
usual hidden ones), all filled with the same hostile value.
"""
from __future__ import annotations

import re

import pytest

from tet.extensions import db

HUGE = "99999999999999999999"
BAD_VALUES = [HUGE, "nan"]  # each sent in every query key at once
PAGE_VALUES = [HUGE, "-1"]  # ``?page=`` alone, on every list
POST_VALUES = ["nan", HUGE, "sNaN"]  # 1e400, Infinity… are tested field by field elsewhere
PATH_VALUES = {"int": [HUGE], "default": [HUGE, "abc"], "path": ["abc"]}
QUERY_KEYS = ["page", "page_size", "sort", "desc", "search", "id", "axe", "thematique",
              "flt0_0", "flt1_3", "q", "type", "c", "annee", "next"]
FORM_KEYS = ["id", "rowid", "action", "cible", "op", "axe_id", "fiche_id", "definition_id",
             "autre_id", "membre_fiche_id", "question_id", "option", "nombre", "reco",
             "reco_ids", "axe_ids", "opsn_id", "siren", "annee", "date", "index", "niveau",
             "statut", "token", "actif", "c"]
SKIP = {"static", "admin.static", "auth.logout"}
ROLES = ["support", "admin_ville"]


def _known_ids(client, app) -> dict[str, str]:
    """{endpoint: the id of a row that role sees}, read from each admin list page."""
    known = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith(".index_view"):
            html = client.get(rule.rule).get_data(as_text=True)
            found = re.search(r"[?&]id=(\d+)", html)
            if found:
                known[rule.endpoint.split(".")[0]] = found.group(1)
    known.setdefault("inspiration", known.get("fiche", "1"))
    return known


def _urls(rule, known) -> list[tuple[str, bool]]:
    """(url, hostile?): the rule with real ids, then with each argument made hostile."""
    args = list(rule.arguments)
    good = {arg: known.get(rule.endpoint.split(".")[0], "1") if _kind(rule, arg) == "int"
            else "1" for arg in args}
    urls = [(_build(rule, good), False)]
    if rule.endpoint.endswith((".edit_view", ".details_view")):
        urls.append((f"{rule.rule}?id={good.get('id', known.get(rule.endpoint.split('.')[0]))}",
                     False))
    for bad_arg in args:
        for value in PATH_VALUES.get(_kind(rule, bad_arg), PATH_VALUES["default"]):
            urls.append((_build(rule, {**good, bad_arg: value}), True))
    return urls


def _build(rule, values) -> str:
    url = rule.rule
    for arg, value in values.items():
        url = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(value), url)
    return url


def _kind(rule, arg) -> str:
    name = type(rule._converters[arg]).__name__
    return {"IdConverter": "int", "IntegerConverter": "int",
            "PathConverter": "path"}.get(name, "default")


def _fields(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html)) - {"csrf_token"}


def _check(client, method, url, failures, **kwargs):
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the test reports every crash at once
        failures.append(f"{method} {url} {kwargs.get('data', '')!s:.80} → {exc!r:.200}")
        return None
    if response.status_code >= 500:
        failures.append(f"{method} {url} → {response.status_code}")
    return response


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx_to_malformed_input(app, login_as, role):
    client = login_as(role)
    known = _known_ids(client, app)
    failures: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP:
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        for url, hostile in _urls(rule, known):
            page = None
            if "GET" in methods:
                page = _check(client, "GET", url, failures)
                for value in BAD_VALUES if not hostile else [HUGE]:
                    query = "&".join(f"{k}={value}" for k in QUERY_KEYS)
                    _check(client, "GET", f"{url}{'&' if '?' in url else '?'}{query}", failures)
                if not hostile and rule.endpoint.endswith((".index", ".index_view")):
                    for value in PAGE_VALUES:
                        _check(client, "GET", f"{url}?page={value}", failures)
            if "POST" in methods:
                names = set(FORM_KEYS)
                if page is not None and page.status_code == 200:
                    names |= _fields(page.get_data(as_text=True))
                for value in POST_VALUES if not hostile else [HUGE]:
                    _check(client, "POST", url, failures,
                           data={name: value for name in names})
    assert not failures, f"{len(failures)} réponses 5xx :\n" + "\n".join(failures[:60])


def test_malformed_input_changes_nothing(app, login_as):
    """The hostile posts above leave the demo data as it was (counts of the main tables)."""
    from tet.plans.models import Axe, FicheAction, Plan
    from tet.indicateurs.models import IndicateurValeur
    from tet.maturite.models import Reponse

    def counts():
        with app.app_context():
            return [db.session.query(m).count()
                    for m in (Plan, Axe, FicheAction, IndicateurValeur, Reponse)]

    before = counts()
    client = login_as("admin_cc")
    for url in ("/admin/fiche/action/", "/admin/plan/action/", "/admin/indicateur/saisie",
                "/admin/maturite/repondre"):
        for value in POST_VALUES + ["1e400", "-Infinity"]:
            client.post(url, data={k: value for k in FORM_KEYS})
    assert counts() == before


def test_the_audit_cases_answer_4xx(app, login_as):
    from tests.plan_helpers import axe_id, plan_id

    client = login_as("admin_cc")
    for rowid in ("abc", HUGE, "-1"):
        response = client.post("/admin/fiche/action/", data={"action": "export_xlsx",
                                                              "rowid": ["1", rowid]})
        assert response.status_code == 400
    for url in ("/admin/fiche/", "/admin/plan/", "/admin/auditlog/", "/admin/inspiration/"):
        assert client.get(f"{url}?page={HUGE}").status_code in (200, 403, 404)
    pid, axe = plan_id(app, "PCAET 2024-2030"), axe_id(app, "2.1 Modes actifs")
    page = client.post(f"/admin/plan/{pid}/axe", follow_redirects=True,
                       data={"op": "deplacer", "axe_id": axe, "cible": "abc"})
    assert page.status_code == 200
    assert "Choisissez l&#39;axe de destination." in page.get_data(as_text=True)
    assert client.get(f"/admin/plan/{HUGE}/arbre").status_code == 404
