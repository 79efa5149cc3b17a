"""The charts in a browser: each one followed by its data table (« Voir les données », a
real table with a caption), the calendar's legend as text, French numbers in labels;
screenshots of the plan dashboard, the calendar and the maturity dashboard."""
from __future__ import annotations

import re

from tests.e2e.navigateur import capture, connexion


def _plan_id(app, nom="PCAET 2024-2030"):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import Plan

    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.nom == nom))


def _open_tables(page):
    """Every « Voir les données » opened; returns the tables' captions."""
    for summary in page.locator("details.tet-donnees > summary").all():
        summary.click()
    return page.locator("details.tet-donnees table caption").all_inner_texts()


def test_plan_dashboard_and_calendar(server, browser, app):
    pid = _plan_id(app)
    page = connexion(browser, server, "admin.cc@tet.test", f"/admin/plan/{pid}/tableau-de-bord")
    captions = _open_tables(page)
    assert {"Fiches par statut", "Fiches par priorité", "Fiches par pilote"} <= set(captions)
    assert page.locator("details.tet-donnees th[scope=row]").count() > 3
    capture(page, "francais-plan-tableau-de-bord")
    page.goto(f"{server}/admin/plan/{pid}/calendrier?annee=2025")
    legend = page.locator(".tet-legend").inner_text()
    assert "En cours" in legend and "date de fin dépassée" in legend
    captions = _open_tables(page)
    assert captions and captions[0].startswith("Calendrier 2025")
    assert re.search(r"\d{2}/\d{2}/2025", page.locator("details.tet-donnees").inner_text())
    capture(page, "francais-plan-calendrier")


def test_maturity_dashboard(server, browser):
    page = connexion(browser, server, "admin.cc@tet.test", "/admin/maturite/")
    captions = _open_tables(page)
    assert "Indice par catégorie" in captions
    assert not re.search(r"\d\.\d", page.locator("main, body").first.inner_text())  # 62,0
    capture(page, "francais-maturite")
