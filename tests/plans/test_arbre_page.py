"""The tree page's axe forms, read from the HTML as a browser reads them."""
from __future__ import annotations

import html as html_lib
import re

from werkzeug.datastructures import MultiDict

from tests.conftest import flashes
from tests.formulaires import with_version
from tests.plan_helpers import axe_id, plan_id
from tests.formulaires import Page
from tet.extensions import db
from tet.plans.models import Axe

PCAET = "PCAET 2024-2030"
MOBILITE = "2. Mobilités durables"


def _messages(response) -> str:
    return " ".join(html_lib.unescape(m) for m in flashes(response))


def _forms(html: str, op: str) -> list[dict]:
    page = Page()
    page.feed(html)
    return [f for f in page.forms if dict(f["fields"]).get("op") == op]


def test_rename_form_is_a_real_input_and_renames_the_axe(app, login_as):
    client = login_as("edition_cc")
    pid, aid = plan_id(app, PCAET), axe_id(app, MOBILITE)
    tree_html = client.get(f"/admin/plan/{pid}/arbre").get_data(as_text=True)
    assert f"/admin/plan/{pid}/axe/{aid}" in _page(tree_html).links  # « Renommer, déplacer… »
    html = client.get(f"/admin/plan/{pid}/axe/{aid}").get_data(as_text=True)
    assert "&lt;input" not in html  # no form field shown as text
    form = next(f for f in _forms(html, "renommer") if dict(f["fields"])["axe_id"] == str(aid))
    fields = dict(form["fields"])
    assert fields["nom"] == MOBILITE  # a real <input name="nom"> holding the current title
    fields["nom"] = "2. Mobilités douces et partagées"
    response = client.post(form["action"], data=MultiDict(fields), follow_redirects=True)
    assert "Axe renommé." in _messages(response)
    with app.app_context():
        assert db.session.get(Axe, aid).nom == "2. Mobilités douces et partagées"


def test_rename_keeps_quotes_and_markup_as_text(app, login_as):
    client = login_as("admin_cc")
    pid, aid = plan_id(app, PCAET), axe_id(app, MOBILITE)
    title = 'Axe « <b>gras</b> » "cité"'
    client.post(f"/admin/plan/{pid}/axe", data=with_version(
        app, Axe, aid, {"op": "renommer", "axe_id": aid, "nom": title}))
    html = client.get(f"/admin/plan/{pid}/axe/{aid}").get_data(as_text=True)
    assert "<b>gras</b>" not in html
    assert "<b>gras</b>" not in client.get(f"/admin/plan/{pid}/arbre").get_data(as_text=True)
    form = next(f for f in _forms(html, "renommer") if dict(f["fields"])["axe_id"] == str(aid))
    assert dict(form["fields"])["nom"] == title


def test_rename_refuses_an_empty_title_and_the_plan_root(app, login_as):
    client = login_as("edition_cc")
    pid, aid = plan_id(app, PCAET), axe_id(app, MOBILITE)
    empty = client.post(f"/admin/plan/{pid}/axe", follow_redirects=True,
                        data={"op": "renommer", "axe_id": aid, "nom": "   "})
    assert "Donnez un titre à l'axe." in _messages(empty)
    with app.app_context():
        assert db.session.get(Axe, aid).nom == MOBILITE
        root = db.session.scalar(db.select(Axe.id).where(Axe.plan_id == pid,
                                                         Axe.parent_id.is_(None)))
    refused = client.post(f"/admin/plan/{pid}/axe", follow_redirects=True,
                          data={"op": "renommer", "axe_id": root, "nom": "Autre"})
    assert "renommez-le par « Modifier le plan »" in _messages(refused)
    with app.app_context():
        assert db.session.get(Axe, root).nom == PCAET


def test_lecture_gets_no_rename_form_and_cannot_rename(app, login_as):
    client = login_as("lecture_cc")
    pid, aid = plan_id(app, PCAET), axe_id(app, MOBILITE)
    for url in (f"/admin/plan/{pid}/arbre", f"/admin/plan/{pid}/axe/{aid}"):
        html = client.get(url).get_data(as_text=True)
        assert _forms(html, "renommer") == [] and 'form="tet-op"' not in html
    response = client.post(f"/admin/plan/{pid}/axe",
                           data={"op": "renommer", "axe_id": aid, "nom": "Piraté"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Axe, aid).nom == MOBILITE


def _page(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_move_form_is_filled_on_demand_and_moves_the_axe(app, login_as):
    """The tree page carries one link per axe (to the axe's page, which links to the move
    page), not a list of every axe (quadratic); the move page lists every destination but
    the axe and its sous-axes, and moves it."""
    client = login_as("edition_cc")
    pid, mob, sous = plan_id(app, PCAET), axe_id(app, MOBILITE), axe_id(app, "2.1 Modes actifs")
    tree_html = client.get(f"/admin/plan/{pid}/arbre").get_data(as_text=True)
    assert 'name="cible"' not in tree_html
    assert f"/admin/plan/{pid}/axe/{mob}" in _page(tree_html).links
    link = f"/admin/plan/{pid}/axe/{mob}/deplacer"
    assert link in _page(client.get(f"/admin/plan/{pid}/axe/{mob}").get_data(as_text=True)).links
    move_html = client.get(link).get_data(as_text=True)
    form = next(f for f in _page(move_html).forms if dict(f["fields"]).get("op") == "deplacer")
    options = set(re.findall(r'<option value="(\d+)"', move_html))
    assert str(mob) not in options and str(sous) not in options  # no cycle offered
    target = axe_id(app, "1. Sobriété et efficacité énergétique")
    assert str(target) in options
    fields = [(k, v) for k, v in form["fields"] if k != "cible"] + [("cible", str(target))]
    client.post(form["action"], data=MultiDict(fields))
    with app.app_context():
        assert db.session.get(Axe, mob).parent_id == target


def test_move_page_follows_the_plan_policy(app, login_as):
    pid, mob = plan_id(app, PCAET), axe_id(app, MOBILITE)
    assert login_as("lecture_cc").get(f"/admin/plan/{pid}/axe/{mob}/deplacer").status_code == 403
    other = plan_id(app, "Projet alimentaire territorial")
    assert login_as("edition_cc").get(
        f"/admin/plan/{other}/axe/{mob}/deplacer").status_code in (403, 404)


def test_tree_page_grows_linearly_with_the_axes(app, login_as):
    """2,000 axes took 227 MB of HTML when every axe repeated the list of every axe."""
    from tet.plans.models import Plan
    from tet.plans import arbre

    def size_after_adding(n: int) -> int:
        with app.app_context():
            plan = db.session.get(Plan, plan_id(app, PCAET))
            parent = arbre.add_axe(plan, f"Bloc de {n}")
            for i in range(n):
                arbre.add_axe(plan, f"Axe {n}-{i}", parent)
            db.session.commit()
        html = login_as("admin_cc").get(f"/admin/plan/{plan_id(app, PCAET)}/arbre")
        return len(html.get_data())

    start = size_after_adding(0)
    first_100 = size_after_adding(100) - start
    next_200 = size_after_adding(200) - start - first_100
    assert next_200 < 3 * first_100  # linear: about 2× (every axe listing every axe: 8×)
