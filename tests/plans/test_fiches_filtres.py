"""Filters of the fiche list (tet/plans/filtres.py): each filter against the same rule
computed in Python on the demo fiches, combinations with the search and the pages, option
lists and results scoped to the collectivité, bounded query count."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.conftest import flashes
from tests.test_listes import _link, _rows
from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import Axe, FicheAction, Plan, Tag
from tet.plans.stats import is_late

CC, VILLE = "200099901", "216890103"
PCAET = "PCAET 2024-2030"


def _cid(siren):
    return db.session.scalar(select(Collectivite.id).where(Collectivite.siren == siren))


def _fiches(siren=CC) -> list[FicheAction]:
    return list(db.session.scalars(select(FicheAction).where(
        FicheAction.collectivite_id == _cid(siren), FicheAction.deleted_at.is_(None))
        .options(selectinload(FicheAction.pilotes), selectinload(FicheAction.tags),
                 selectinload(FicheAction.thematiques), selectinload(FicheAction.axes))))


def _under(axe_id: int) -> set[int]:
    """The axe and its sous-axes, walked in Python."""
    found, todo = set(), [axe_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo += list(db.session.scalars(select(Axe.id).where(Axe.parent_id == current)))
    return found


def _ids(client, query: str) -> set[int]:
    response = client.get(f"/admin/fiche/?page_size=100&{query}")
    rows = _rows(response)
    assert len(rows) == len(set(rows))
    return set(rows)


@pytest.fixture
def demo(app):
    """Names and ids the tests filter on, and the CC's fiches (expunged)."""
    with app.app_context():
        db.session.add(FicheAction(collectivite_id=_cid(CC), titre="Sans échéance ni pilote",
                                   statut="a_venir"))
        db.session.commit()
        fiches = _fiches()
        pilote = next(u for f in fiches for u in f.pilotes)
        service = next(t for f in fiches for t in f.tags if t.kind == "service")
        them = next(t for f in fiches for t in f.thematiques)
        plan = db.session.scalar(select(Plan).where(Plan.nom == PCAET))
        top = db.session.scalar(select(Axe).where(Axe.plan_id == plan.id,
                                                  Axe.parent_id.is_not(None)).order_by(Axe.id))
        under = _under(top.id)
        in_plan = {f.id for f in fiches if any(a.plan_id == plan.id for a in f.axes)}
        in_axe = {f.id for f in fiches if any(a.id in under for a in f.axes)}
        data = {"fiches": fiches, "pilote": pilote.id, "service": service.id,
                "thematique": them.id, "plan": plan.id, "axe": top.id,
                "in_plan": in_plan, "in_axe": in_axe}
        for f in fiches:
            db.session.expunge(f)
        return data


def test_each_filter_matches_its_rule(app, login_as, demo):
    client = login_as("admin_cc")
    fiches, today = demo["fiches"], date.today()
    dated = sorted(f.date_fin for f in fiches if f.date_fin)
    middle = dated[len(dated) // 2]
    expected = {
        f"pilote={demo['pilote']}": {f.id for f in fiches
                                     if demo["pilote"] in [u.id for u in f.pilotes]},
        f"service={demo['service']}": {f.id for f in fiches
                                       if demo["service"] in [t.id for t in f.tags]},
        f"thematique={demo['thematique']}": {
            f.id for f in fiches if demo["thematique"] in [t.id for t in f.thematiques]},
        f"plan={demo['plan']}": demo["in_plan"],
        f"axe={demo['axe']}": demo["in_axe"],
        "statut=en_cours": {f.id for f in fiches if f.statut == "en_cours"},
        "priorite=eleve": {f.id for f in fiches if f.priorite == "eleve"},
        "priorite=aucune": {f.id for f in fiches if f.priorite is None},
        f"echeance_du={middle}": {f.id for f in fiches if f.date_fin and f.date_fin >= middle},
        f"echeance_au={middle}": {f.id for f in fiches if f.date_fin and f.date_fin <= middle},
        f"echeance_du={dated[0]}&echeance_au={middle}": {
            f.id for f in fiches if f.date_fin and dated[0] <= f.date_fin <= middle},
        "sans_echeance=1": {f.id for f in fiches if f.date_fin is None},
        "sans_pilote=1": {f.id for f in fiches if not f.pilotes
                          and not any(t.kind == "personne" for t in f.tags)},
        "en_retard=1": {f.id for f in fiches if is_late(f.date_fin, f.statut, today)},
    }
    everything = {f.id for f in fiches}
    for query, ids in expected.items():
        assert ids and ids != everything, query
        assert _ids(client, query) == ids, query


def test_axe_filter_includes_sous_axes_and_combines(app, login_as, demo):
    client = login_as("admin_cc")
    fiches = {f.id: f for f in demo["fiches"]}
    assert demo["in_axe"] < demo["in_plan"] or demo["in_axe"] == demo["in_plan"]
    got = _ids(client, f"plan={demo['plan']}&axe={demo['axe']}&statut=en_cours")
    assert got == {i for i in demo["in_axe"] if fiches[i].statut == "en_cours"}
    # the search and the filters together
    word = fiches[next(iter(demo["in_axe"]))].titre.split()[0]
    got = _ids(client, f"axe={demo['axe']}&search={word}")
    assert got and got <= demo["in_axe"]


def test_filters_survive_pages_and_sort(app, login_as):
    client = login_as("admin_cc")
    first = client.get("/admin/fiche/?statut=en_cours&sans_pilote=&page_size=20&sort=0")
    head = first.get_data(as_text=True).split("<thead")[1].split("</thead>")[0]
    assert "sort=" in head
    for href in re.findall(r'href="([^"]*sort=[^"]*)"', head):
        assert "statut=en_cours" in html.unescape(href)
    nxt = _link(first, "apres")
    assert nxt is None or "statut=en_cours" in nxt


def test_option_lists_are_the_collectivites(app, login_as, demo):
    with app.app_context():
        ville_plan = db.session.scalar(select(Plan).where(Plan.collectivite_id == _cid(VILLE)))
        ville_tag = Tag(collectivite_id=_cid(VILLE), kind="service", nom="Service de la Ville")
        db.session.add(ville_tag)
        db.session.commit()
        nom = html.escape(ville_plan.nom, quote=False)
    page = login_as("admin_cc").get(f"/admin/fiche/?plan={demo['plan']}").get_data(
        as_text=True)
    assert 'id="filtre-pilote"' in page and 'id="filtre-axe"' in page
    assert f'value="{ville_plan.id}"' not in page.split('id="filtre-plan"')[1].split(
        "</select>")[0]
    assert nom not in page
    assert "Service de la Ville" not in page
    ville = login_as("admin_ville").get("/admin/fiche/").get_data(as_text=True)
    assert PCAET not in ville and "Admin CC" not in ville


def test_foreign_ids_find_nothing_and_bad_values_say_so(app, login_as, demo):
    client = login_as("admin_ville")
    assert _ids(client, f"axe={demo['axe']}") == set()
    assert _ids(client, f"plan={demo['plan']}") == set()
    assert _ids(client, f"pilote={demo['pilote']}") == set()
    response = client.get("/admin/fiche/?pilote=abc&echeance_du=31/02/2026&statut=zzz")
    assert response.status_code == 200
    messages = " ".join(flashes(response))
    assert "invalide" in messages and "JJ/MM/AAAA" in messages


def test_export_follows_the_filters(app, login_as, demo):
    response = login_as("admin_cc").get("/admin/fiche/export/csv/?statut=en_cours")
    body = response.get_data(as_text=True)
    en_cours = [f for f in demo["fiches"] if f.statut == "en_cours"]
    autres = [f for f in demo["fiches"] if f.statut != "en_cours"]
    assert len(body.strip().splitlines()) == len(en_cours) + 1
    assert not any(f.titre in body for f in autres if f.titre not in
                   " ".join(e.titre for e in en_cours))


def test_filtered_list_query_count_is_bounded(app, login_as, demo):
    client = login_as("admin_cc")
    query = (f"/admin/fiche/?plan={demo['plan']}&axe={demo['axe']}&pilote={demo['pilote']}"
             f"&service={demo['service']}&thematique={demo['thematique']}&statut=en_cours"
             f"&priorite=eleve&echeance_du=2020-01-01&echeance_au=2040-01-01&sans_pilote=1"
             f"&en_retard=1&search=a")
    with count_queries(app) as small:
        assert client.get(query + "&page_size=20").status_code == 200
    with app.app_context():
        cid = _cid(CC)
        plan = db.session.get(Plan, demo["plan"])
        for i in range(60):
            f = FicheAction(collectivite_id=cid, titre=f"Ajout {i}", statut="en_cours",
                            priorite="eleve", date_fin=date.today() - timedelta(days=3))
            f.axes = [db.session.get(Axe, demo["axe"])]
            db.session.add(f)
        assert plan is not None
        db.session.commit()
    with count_queries(app) as big:
        assert client.get(query + "&page_size=100").status_code == 200
    assert big["n"] == small["n"]
