"""Dashboards, late fiches and calendar of a plan (and of all the collectivité's plans):
pages of ``PlanView`` fed by the SQL aggregates of ``plan_stats`` / ``plan_calendrier``."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from admin_views import charts
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.plans.models import STATUTS
from tet.plans import calendrier as plan_calendrier, stats as plan_stats
from tet.nombres import db_id, parse_id


class TableauxMixin:
    """Needs ``_plan(id)`` (the plan in the acteur's scope, else 404) and ``acteur``."""

    @expose("/<int:id>/tableau-de-bord")
    def tableau_de_bord(self, id: int):
        plan = self._plan(id)
        stats = plan_stats.plan_stats(plan)
        return self.render("admin/plan_dashboard.html", plan=plan, stats=stats,
                           rows=None, charts=dashboard_charts(stats))

    @expose("/tableau-de-bord")
    def tableau_de_bord_collectivite(self):
        cid = self._collectivite()
        if cid is None:
            return redirect(url_for(".index_view"))
        stats, rows = plan_stats.collectivite_stats(cid)
        return self.render("admin/plan_dashboard.html", plan=None, stats=stats, rows=rows,
                           charts=dashboard_charts(stats))

    @expose("/<int:id>/en-retard")
    def en_retard(self, id: int):
        plan = self._plan(id)
        return self._late_page(plan_stats.du_plan(plan.id), plan)

    @expose("/en-retard")
    def en_retard_collectivite(self):
        cid = self._collectivite()
        if cid is None:
            return redirect(url_for(".index_view"))
        return self._late_page(plan_stats.of_collectivite(cid), None)

    @expose("/<int:id>/calendrier")
    def calendrier(self, id: int):
        plan = self._plan(id)
        annee = request.args.get("annee")
        if annee is not None:
            annee = parse_id(annee)
            if annee is None or not plan_calendrier.ANNEE_MIN <= annee <= plan_calendrier.ANNEE_MAX:
                flash(f"Choisissez une année entre {plan_calendrier.ANNEE_MIN} et "
                      f"{plan_calendrier.ANNEE_MAX}.", "error")
                annee = None
        cal = plan_calendrier.calendrier(plan, annee, request.args.get("page", 1, type=db_id) or 1)
        svg = None
        if cal.rows:
            labels = dict(STATUTS)
            rows = [dict(row, colour=charts.PALETTE.get(row.get("statut"), "#007bff"),
                         statut_label=labels.get(row.get("statut"), ""))
                    for row in cal.rows]
            svg = charts.timeline(rows, date(cal.annee, 1, 1), date(cal.annee, 12, 31),
                                  f"Calendrier {cal.annee} de {plan.nom}")
        legende = charts.legend([(label, charts.PALETTE[code]) for code, label in STATUTS])
        return self.render("admin/plan_calendrier.html", plan=plan, cal=cal, svg=svg,
                           legende=legende, page_size=plan_calendrier.PAGE)

    # --- helpers ------------------------------------------------------------------------
    def _collectivite(self) -> int | None:
        cid = self.acteur.collectivite_id
        if cid is None:
            flash("Choisissez la collectivité pour laquelle vous agissez.", "error")
        return cid

    def _late_page(self, scope, plan):
        """Late fiches of ``scope``, LATE_PAGE at a time after the fiche ``apres`` (keyset)."""
        today = date.today()
        after = None
        if request.args.get("apres"):
            after = db.session.scalar(select(FicheAction).where(
                FicheAction.id == (request.args.get("apres", type=db_id) or 0), *scope.fiches))
            if after is None or after.date_fin is None:
                flash("Cette position dans la liste n'existe plus : retour au début.", "error")
                after = None
        fiches = plan_stats.late_fiches(scope, today, plan_stats.LATE_PAGE + 1, after)
        more = len(fiches) > plan_stats.LATE_PAGE
        return self.render("admin/plan_en_retard.html", plan=plan,
                           fiches=fiches[:plan_stats.LATE_PAGE], more=more, debut=after is None,
                           total=plan_stats.late_count(scope, today))


def dashboard_charts(stats) -> dict:
    return {
        "statut": charts.bars([(label, n, charts.PALETTE[code])
                               for code, label, n in stats.by_statut], "Fiches par statut",
                              headers=("Statut", "Fiches")),
        "priorite": charts.bars([(label, n, charts.PALETTE[code])
                                 for code, label, n in stats.by_priorite],
                                "Fiches par priorité", headers=("Priorité", "Fiches")),
        "pilote": charts.bars([(name, n, "#17a2b8") for name, n in stats.by_pilote],
                              "Fiches par pilote", headers=("Pilote", "Fiches")),
        "avancement": charts.gauge(stats.avancement, "Avancement"),
        "axes": [(nom, n, charts.gauge(av, f"Avancement de {nom}"))
                 for nom, n, av in stats.per_axe],
    }
