"""The plan calendar, one year at a time: the fiches whose dates meet the year, grouped by
top-level axe (fiches filed on the plan itself first), a page at a time. The database
filters, groups (recursive CTE over the tree), counts and pages; the page costs the same
whatever the size of the plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.models import fiche_axe
from tet.plans.stats import binaire, in_plan, is_late, under_top_axes

PAGE = 100  # fiche rows per page of the calendar
UNDATED_SHOWN = 50
ANNEE_MIN, ANNEE_MAX = 1900, 2199

START = func.coalesce(FicheAction.date_debut, FicheAction.date_fin)
END = func.coalesce(FicheAction.date_fin, FicheAction.date_debut)


@dataclass
class Calendrier:
    annee: int
    premiere: int | None = None  # first and last years met by a dated fiche of the plan
    derniere: int | None = None
    total: int = 0  # fiche rows in the year (a fiche once per top-level axe holding it)
    page: int = 1
    pages: int = 1
    rows: list[dict] = field(default_factory=list)
    sans_date: int = 0
    sans_date_titres: list[str] = field(default_factory=list)


def groups(plan_id: int):
    """(axe_id, grp): every axe of the plan with its top-level axe (the root: itself)."""
    top = under_top_axes(plan_id)
    itself = (select(Axe.id.label("axe_id"), Axe.id.label("grp"))
              .where(Axe.plan_id == plan_id, Axe.parent_id.is_(None)))
    return union_all(itself, select(top.c.axe_id, top.c.top_id)).subquery("groupes")


def _span(plan_id: int) -> tuple[int | None, int | None, int]:
    first, last, undated = db.session.execute(
        select(func.min(START), func.max(END),
               func.sum(case((START.is_(None), 1), else_=0)))
        .where(*in_plan(plan_id))).one()
    return _year(first), _year(last), undated or 0


def _year(value) -> int | None:
    if value is None:
        return None
    return value.year if isinstance(value, date) else int(str(value)[:4])


def default_year(premiere: int | None, derniere: int | None, today: date) -> int:
    """This year, brought inside the plan's span of dates."""
    if premiere is None:
        return today.year
    return min(max(today.year, premiere), derniere)


def calendrier(plan: Plan, annee: int | None = None, page: int = 1,
               today: date | None = None) -> Calendrier:
    today = today or date.today()
    premiere, derniere, sans_date = _span(plan.id)
    cal = Calendrier(annee=annee or default_year(premiere, derniere, today), premiere=premiere,
                     derniere=derniere, sans_date=sans_date)
    if sans_date:
        cal.sans_date_titres = list(db.session.scalars(
            select(FicheAction.titre).where(*in_plan(plan.id), START.is_(None))
            .order_by(binaire(FicheAction.titre), FicheAction.id).limit(UNDATED_SHOWN)))
    if premiere is None:
        return cal
    grp = groups(plan.id)
    pairs = (select(grp.c.grp, FicheAction.id, FicheAction.titre, FicheAction.statut,
                    FicheAction.date_debut, FicheAction.date_fin)
             .join(fiche_axe, fiche_axe.c.axe_id == grp.c.axe_id)
             .join(FicheAction, FicheAction.id == fiche_axe.c.fiche_id)
             .where(FicheAction.deleted_at.is_(None),
                    START <= date(cal.annee, 12, 31), END >= date(cal.annee, 1, 1))
             .distinct().subquery("paires"))
    rows = _page(pairs, max(page, 1))
    if not rows and page > 1:  # past the end: the last page
        total = db.session.scalar(select(func.count()).select_from(pairs))
        rows = _page(pairs, max(1, -(-total // PAGE)))
    cal.total = rows[0].total if rows else 0
    cal.pages = max(1, -(-cal.total // PAGE))
    cal.page = min(max(page, 1), cal.pages)
    current = None
    for row in rows:
        if row.grp != current and not row.racine:
            cal.rows.append({"label": row.nom, "group": True})
        current = row.grp
        cal.rows.append({"id": row.id, "label": row.titre, "statut": row.statut,
                         "start": row.date_debut, "end": row.date_fin,
                         "late": is_late(row.date_fin, row.statut, today)})
    return cal


def _page(pairs, page: int) -> list:
    """One page of (top-level axe, fiche) rows in calendar order, each with the total."""
    g = aliased(Axe)
    debut = func.coalesce(pairs.c.date_debut, pairs.c.date_fin)
    return db.session.execute(
        select(pairs, g.nom, g.parent_id.is_(None).label("racine"),
               func.count().over().label("total"))
        .join(g, g.id == pairs.c.grp)
        .order_by(case((g.parent_id.is_(None), 0), else_=1), g.position, g.id, debut,
                  binaire(pairs.c.titre), pairs.c.id)
        .limit(PAGE).offset((page - 1) * PAGE)).all()
