"""Dashboards, late-fiche list and calendar pages: a fixed, small number of queries
whatever the number of fiches; the late list and the calendar show a bounded page."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select, update

from tests.conftest import flashes
from tests.plans.test_speed import _plan
from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.models import fiche_axe
from tet.plans import agregats as plan_agregats, calendrier as plan_calendrier, stats as plan_stats

MAX_QUERIES = 15  # the bound for a dashboard


def _late(app, plan_id: int, n: int) -> None:
    """Make exactly ``n`` fiches of the plan late (past date de fin, en cours)."""
    with app.app_context():
        ids = select(fiche_axe.c.fiche_id).join(Axe).where(Axe.plan_id == plan_id)
        db.session.execute(update(FicheAction).where(FicheAction.id.in_(ids))
                           .values(date_fin=None))
        chosen = db.session.scalars(select(FicheAction.id).where(FicheAction.id.in_(ids))
                                    .order_by(FicheAction.id).limit(n)).all()
        for i, fid in enumerate(chosen):
            db.session.execute(update(FicheAction).where(FicheAction.id == fid).values(
                statut="en_cours", date_fin=date.today() - timedelta(days=1 + i % 7)))
        db.session.commit()


@pytest.mark.parametrize("page", ["tableau-de-bord", "en-retard", "calendrier"])
def test_plan_pages_cost_the_same_for_10_or_1200_fiches(app, login_as, page):
    client = login_as("lecture_cc")
    counts = []
    for n in (10, 1200):
        plan_id = _plan(app, n, 12)
        _late(app, plan_id, n // 2)
        client.get(f"/admin/plan/{plan_id}/{page}")  # warm-up
        with count_queries(app) as counter:
            assert client.get(f"/admin/plan/{plan_id}/{page}").status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


@pytest.mark.parametrize("page", ["tableau-de-bord", "en-retard"])
def test_collectivite_pages_cost_the_same_for_10_or_1200_fiches(app, login_as, page):
    client = login_as("lecture_cc")
    counts = []
    for n in (10, 1200):
        _late(app, _plan(app, n, 12), n // 2)
        client.get(f"/admin/plan/{page}")
        with count_queries(app) as counter:
            assert client.get(f"/admin/plan/{page}").status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/admin/fiche/\d+">([^<]+)</a>', html)


def test_dashboard_lists_20_late_fiches_and_links_the_paged_list(app, login_as):
    plan_id = _plan(app, 130, 6)
    _late(app, plan_id, 120)
    client = login_as("lecture_cc")
    html = client.get(f"/admin/plan/{plan_id}/tableau-de-bord").get_data(as_text=True)
    assert len(_titles(html)) == plan_stats.LATE_SHOWN
    assert "Voir les 120 fiches en retard" in html
    seen, url = [], f"/admin/plan/{plan_id}/en-retard"
    while url:
        html = client.get(url).get_data(as_text=True)
        assert "120 fiches" in html
        seen += _titles(html)
        more = re.search(r'href="([^"]+\?apres=\d+)"', html)
        url = more.group(1) if more else None
    assert len(seen) == len(set(seen)) == 120  # every late fiche once, over 3 pages
    with app.app_context():
        expected = db.session.scalars(select(FicheAction.titre).where(
            *plan_stats.in_plan(plan_id), plan_stats.late_condition(date.today()))
            .order_by(*plan_stats.late_order())).all()
    assert seen == expected


def test_late_list_with_an_unknown_position_starts_again(app, login_as):
    plan_id = _plan(app, 5, 2)
    _late(app, plan_id, 3)
    response = login_as("lecture_cc").get(f"/admin/plan/{plan_id}/en-retard?apres=abc")
    assert response.status_code == 200
    assert "Cette position dans la liste n&#39;existe plus : retour au début." in \
        flashes(response)[0]
    assert len(_titles(response.get_data(as_text=True))) == 3


def _calendar(app, plan_id: int, n_per_year: dict[int, int]) -> None:
    """Date the plan's fiches: ``n`` of them inside each given year."""
    with app.app_context():
        ids = db.session.scalars(select(FicheAction.id).where(
            *plan_stats.in_plan(plan_id)).order_by(FicheAction.id)).all()
        it = iter(ids)
        for year, n in n_per_year.items():
            for _ in range(n):
                db.session.execute(update(FicheAction).where(FicheAction.id == next(it))
                                   .values(date_debut=date(year, 3, 1),
                                           date_fin=date(year, 9, 30)))
        for fid in it:  # the rest: no date
            db.session.execute(update(FicheAction).where(FicheAction.id == fid)
                               .values(date_debut=None, date_fin=None))
        db.session.commit()


def test_calendar_shows_one_year_a_page_at_a_time(app, login_as):
    plan_id = _plan(app, 260, 4)
    _calendar(app, plan_id, {2030: 150, 2031: 3})
    client = login_as("lecture_cc")
    html = client.get(f"/admin/plan/{plan_id}/calendrier?annee=2030").get_data(as_text=True)
    assert "Calendrier 2030" in html and "150 fiches en cours en 2030" in html
    assert "page 1 sur 2" in html and "?annee=2031" in html and "?annee=2029" not in html
    assert html.count("<rect") - html.count('class="tet-legend"') <= plan_calendrier.PAGE + 20
    assert "Fiches sans date (107)" in html  # 260 − 153, titles capped
    assert len(re.findall(r"Fiche \d{4}", html.split("Fiches sans date")[1])) == \
        plan_calendrier.UNDATED_SHOWN
    page2 = client.get(f"/admin/plan/{plan_id}/calendrier?annee=2030&page=2").get_data(
        as_text=True)
    assert "page 2 sur 2" in page2
    past_the_end = client.get(f"/admin/plan/{plan_id}/calendrier?annee=2030&page=99")
    assert "page 2 sur 2" in past_the_end.get_data(as_text=True)
    assert "page 1 sur 2" in client.get(
        f"/admin/plan/{plan_id}/calendrier?annee=2030&page=abc").get_data(as_text=True)
    later = client.get(f"/admin/plan/{plan_id}/calendrier?annee=2031").get_data(as_text=True)
    assert "3 fiches en cours en 2031" in later and "?annee=2030" in later


def test_calendar_groups_by_top_level_axe_and_repeats_multi_axe_fiches(app, login_as):
    plan_id = _plan(app, 8, 8)  # axes 0 and 4 are top level; 1–3 under 0, 5–7 under 4
    _calendar(app, plan_id, {2030: 8})
    with app.app_context():
        fiche = db.session.scalar(select(FicheAction.id).where(
            *plan_stats.in_plan(plan_id)).order_by(FicheAction.id))
        axe4 = db.session.scalar(select(Axe.id).where(Axe.plan_id == plan_id,
                                                      Axe.nom == "Axe 5"))
        db.session.execute(insert(fiche_axe), [{"fiche_id": fiche, "axe_id": axe4}])
        plan_agregats.sync_fiches([fiche])  # a Core write keeps the aggregates itself
        db.session.commit()
        plan = db.session.get(Plan, plan_id)
        cal = plan_calendrier.calendrier(plan, 2030)
    assert cal.total == 9
    groups = [r["label"] for r in cal.rows if r.get("group")]
    assert groups == ["Axe 0", "Axe 4"]
    assert [r["label"] for r in cal.rows].count("Fiche 0000") == 2


@pytest.mark.parametrize("annee", ["abc", "0", "99999", "1899"])
def test_calendar_refuses_a_bad_year_in_french(app, login_as, annee):
    plan_id = _plan(app, 3, 2)
    response = login_as("lecture_cc").get(f"/admin/plan/{plan_id}/calendrier?annee={annee}")
    assert response.status_code == 200
    assert "Choisissez une année entre 1900 et 2199." in flashes(response)[0]
