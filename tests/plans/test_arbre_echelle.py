"""The plan tree page at the size of the country (issue 10): one shared form for the axe
buttons (not seven forms and seven CSRF tokens per axe), counts in SQL, the first fiches of
each axe only with a link to the axe's paged list, a constant number of queries."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from tests.sql_spy import sql_sent
from tests.conftest import flashes
from tests.formulaires import forms_of
from tests.plan_helpers import plan_id
from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans import arbre, arbre_page

PCAET = "PCAET 2024-2030"


def _grow(app, axes: int = 0, fiches: int = 0, nom: str = "Bloc") -> int:
    """Add a top-level axe holding ``axes`` sous-axes and ``fiches`` fiches; its id."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id(app, PCAET))
        bloc = arbre.add_axe(plan, nom)
        for i in range(axes):
            arbre.add_axe(plan, f"{nom} {i:03d}", bloc)
        for i in range(fiches):
            fiche = FicheAction(collectivite_id=plan.collectivite_id, titre=f"{nom} fiche {i:03d}")
            db.session.add(fiche)
            db.session.flush()
            arbre.ranger(fiche, {bloc.id})
        db.session.commit()
        return bloc.id


def _tree(client, app) -> str:
    response = client.get(f"/admin/plan/{plan_id(app, PCAET)}/arbre")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_axe_buttons_share_one_form_and_one_token(app, login_as):
    """Seven forms and seven CSRF tokens per axe made 4.7 kB per axe (9.4 MB for 2,000)."""
    client = login_as("admin_cc")
    before = _tree(client, app)
    _grow(app, axes=60)
    after = _tree(client, app)
    assert after.count("<form") == before.count("<form") <= 3
    assert after.count('name="csrf_token"') == before.count('name="csrf_token"') <= 3
    assert after.count('form="tet-op"') - before.count('form="tet-op"') == 4 * 61
    per_axe = (len(after.encode()) - len(before.encode())) / 61
    assert per_axe < 800, per_axe  # was ≈ 4,700 bytes


def test_lecture_tree_is_small_too(app, login_as):
    client = login_as("lecture_cc")
    before = _tree(client, app)
    _grow(app, axes=60)
    after = _tree(client, app)
    assert "<form" not in after.split('id="plan-tree"')[1]
    assert (len(after.encode()) - len(before.encode())) / 61 < 350


def _op_buttons(html: str) -> dict[str, str]:
    """{value of a shared-form button: its label}."""
    return dict(re.findall(r'<button form="tet-op" name="op" value="([^"]+)">([^<]+)</button>',
                           html))


def _shared_form(html: str) -> dict:
    return next(f for f in forms_of(html) if f["id"] == "tet-op")


@pytest.mark.parametrize("op", ["descendre", "indenter"])
def test_shared_form_buttons_move_the_axe(app, login_as, op):
    client = login_as("admin_cc")
    _grow(app, axes=2, nom="Ops")
    with app.app_context():
        first, second = db.session.scalars(select(Axe).where(Axe.nom.in_(["Ops 000", "Ops 001"]))
                                           .order_by(Axe.nom)).all()
        first_id, second_id, parent = first.id, second.id, first.parent_id
    html = _tree(client, app)
    value = f"{op}:{first_id if op == 'descendre' else second_id}"
    assert value in _op_buttons(html)
    form = _shared_form(html)
    response = client.post(form["action"], data=dict(form["fields"] + [("op", value)]))
    assert response.status_code == 302
    with app.app_context():
        if op == "descendre":
            assert db.session.get(Axe, first_id).position == 1
        else:
            assert db.session.get(Axe, second_id).parent_id == first_id != parent


def test_shared_form_needs_its_token(app, login_as):
    client = login_as("admin_cc")
    aid = _grow(app, axes=0, nom="Jeton")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/admin/plan/{plan_id(app, PCAET)}/axe",
                               data={"op": f"supprimer:{aid}"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        assert db.session.get(Axe, aid) is not None


OPS = ["monter", "descendre", "indenter", "desindenter", "renommer", "ajouter", "supprimer",
       "deplacer"]


@pytest.mark.parametrize("role", ["lecture_cc", "admin_ville"])
def test_every_operation_is_refused_to_who_may_not_edit_the_plan(app, login_as, role):
    aid = _grow(app, axes=2, nom="Refus")
    with app.app_context():
        before = db.session.execute(select(Axe.id, Axe.parent_id, Axe.position, Axe.nom)
                                    .order_by(Axe.id)).all()
    client = login_as(role)
    url = f"/admin/plan/{plan_id(app, PCAET)}/axe"
    for op in OPS:
        for data in ({"op": f"{op}:{aid}", "nom": "X", "cible": aid},
                     {"op": op, "axe_id": aid, "nom": "X", "cible": aid}):
            assert client.post(url, data=data).status_code in (403, 404), (op, data)
    page = client.get(f"/admin/plan/{plan_id(app, PCAET)}/axe/{aid}")
    if role == "lecture_cc":
        assert "<form" not in page.get_data(as_text=True).split('id="fiches"')[0].split("<h1")[1]
    else:
        assert page.status_code in (403, 404)
    with app.app_context():
        assert db.session.execute(select(Axe.id, Axe.parent_id, Axe.position, Axe.nom)
                                  .order_by(Axe.id)).all() == before


def test_axe_page_operations_for_admin(app, login_as):
    client = login_as("admin_cc")
    aid = _grow(app, axes=1, nom="Page")
    pid = plan_id(app, PCAET)
    html = client.get(f"/admin/plan/{pid}/axe/{aid}").get_data(as_text=True)
    forms = {dict(f["fields"])["op"]: f for f in forms_of(html) if "op" in dict(f["fields"])}
    assert set(forms) == {"renommer", "ajouter", "supprimer"}
    assert f"/admin/plan/{pid}/axe/{aid}/deplacer" in html
    add = dict(forms["ajouter"]["fields"]) | {"nom": "Nouveau sous-axe"}
    client.post(forms["ajouter"]["action"], data=add)
    delete = dict(forms["supprimer"]["fields"])
    response = client.post(forms["supprimer"]["action"], data=delete, follow_redirects=True)
    assert "Axe supprimé" in html_lib.unescape(" ".join(flashes(response)))
    with app.app_context():
        assert db.session.get(Axe, aid) is None
        assert db.session.scalar(select(Axe).where(Axe.nom == "Nouveau sous-axe")) is None


def test_a_big_axe_lists_its_first_fiches_and_links_to_all(app, login_as, monkeypatch):
    monkeypatch.setattr(arbre_page, "AXE_PAGE", 10)
    n = arbre_page.PER_AXE + 5
    aid = _grow(app, fiches=n, nom="Gros")
    client = login_as("lecture_cc")
    html = _tree(client, app)
    block = html.split(f'id="axe-{aid}"')[1]
    listed = re.findall(r">Gros fiche (\d+)</a>", block)
    assert listed == [f"{i:03d}" for i in range(arbre_page.PER_AXE)]
    link = f"/admin/plan/{plan_id(app, PCAET)}/axe/{aid}#fiches"
    assert f'<a href="{link}">Voir les {n} fiches de cet axe</a>' in block
    assert f"({n} fiches)" in block
    seen, url = [], link.split("#")[0]
    while url:
        page = html_lib.unescape(client.get(url).get_data(as_text=True))
        assert f"Fiches rangées ici ({n})" in page
        seen += re.findall(r">Gros fiche (\d+)</a>", page)
        more = re.search(r'href="([^"]+)#fiches">Fiches suivantes', page)
        url = more.group(1) if more else None
    assert seen == [f"{i:03d}" for i in range(n)]  # every fiche once, by title, 3 pages


def test_a_plan_over_the_page_budget_lists_fewer_fiches_per_axe(app, login_as, monkeypatch):
    monkeypatch.setattr(arbre_page, "PAGE_BUDGET", 4)
    aid = _grow(app, fiches=3, nom="Budget")
    html = _tree(login_as("lecture_cc"), app)
    assert "Grand plan" in html
    assert len(re.findall(r'class="tet-fiche"', html)) <= 4
    assert f"axe/{aid}#fiches\">Voir les 3 fiches de cet axe" in html


def test_tree_page_queries_do_not_grow_with_axes_and_fiches(app, login_as):
    client = login_as("admin_cc")
    _tree(client, app)
    with count_queries(app) as small:
        _tree(client, app)
    _grow(app, axes=40, fiches=60)
    with count_queries(app) as big:
        html = _tree(client, app)
    assert "Bloc fiche 000" in html
    assert big["n"] == small["n"], (small, big)


def test_tree_service_has_no_id_list(app):
    """No query of the tree page binds a list of ids (an IN of 100,000 ids failed on
    PostgreSQL); the counts are SQL aggregates."""
    _grow(app, axes=5, fiches=30)
    pid = plan_id(app, PCAET)
    with app.app_context():
        plan = db.session.get(Plan, pid)
        with sql_sent(app) as statements:
            page = arbre_page.load(plan)
        assert page.total == db.session.scalar(select(db.func.count(db.distinct(
            arbre.fiche_axe.c.fiche_id))).join(Axe, Axe.id == arbre.fiche_axe.c.axe_id).join(
            FicheAction, FicheAction.id == arbre.fiche_axe.c.fiche_id).where(
            Axe.plan_id == pid, FicheAction.deleted_at.is_(None)))
    assert len(statements) == 3
    for statement, parameters in statements:
        assert not re.search(r"\bIN \((?!SELECT)", statement, re.I), statement
        assert len(parameters or ()) <= 6, statement


def test_ranger_and_copy_targets_read_axes_in_queries_that_do_not_grow(app, login_as):
    """« Ranger la fiche » and the inspiration copy targets list every plan's axes: two
    queries for all plans (one tree per plan with its fiches before)."""
    with app.app_context():
        mine = db.session.scalar(select(FicheAction).join(arbre.fiche_axe).join(Axe)
                                 .where(Axe.plan_id == plan_id(app, PCAET)).limit(1))
        fid = mine.id
        other = db.session.scalar(select(FicheAction.id).where(
            FicheAction.collectivite_id != mine.collectivite_id,
            FicheAction.confidentiel.is_(False), FicheAction.deleted_at.is_(None)))
    client = login_as("admin_cc")
    urls = (f"/admin/fiche/{fid}/ranger", f"/admin/inspiration/{other}")
    counts = []
    for grow in (False, True):
        if grow:
            with app.app_context():
                cc = db.session.get(Plan, plan_id(app, PCAET)).collectivite_id
                for i in range(3):
                    plan = arbre.create_plan(cc, f"Plan en plus {i}")
                    arbre.add_axe(plan, f"Axe du plan en plus {i}")
                db.session.commit()
        for url in urls:
            client.get(url)
        with count_queries(app) as n:
            pages = [client.get(url) for url in urls]
        assert [p.status_code for p in pages] == [200, 200]
        counts.append(n["n"])
    assert "Axe du plan en plus 2" in pages[0].get_data(as_text=True)
    assert counts[0] == counts[1], counts
