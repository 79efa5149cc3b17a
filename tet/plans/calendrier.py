"""The plan calendar, one year at a time: the fiches whose dates meet the year, grouped by
top-level axe (fiches filed on the plan itself first), a page at a time. The database
filters (the maintained ``sous_arbre_fiche`` rows: a top-level axe's rows are its whole
subtree, once per fiche), counts and pages; the page costs the same whatever the size of
the plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select, true
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, Plan
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.stats import binaire, is_late, racine_id

PAGE = 100  # fiche rows per page of the calendar
UNDATED_SHOWN = 50
ANNEE_MIN, ANNEE_MAX = 1900, 2199



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


def _span(racine: int) -> tuple[int | None, int | None, int]:
    """(first year, last year, undated fiches) of the plan: five index seeks on its root's
    rows, not a read of each (the first start: the least date de début, or date de fin of a
    fiche without one; the last end likewise)."""
    rows = select(SAF.c.date_debut).where(SAF.c.axe_id == racine, SAF.c.vivante == true())

    def one(column, *where):
        return rows.with_only_columns(column).where(*where).scalar_subquery()

    debut, fin = SAF.c.date_debut, SAF.c.date_fin
    *dates, undated = db.session.execute(select(
        one(func.min(debut)), one(func.min(fin), debut.is_(None)),
        one(func.max(fin)), one(func.max(debut), fin.is_(None)),
        one(func.count(), debut.is_(None), fin.is_(None)))).one()
    firsts, lasts = [d for d in dates[:2] if d is not None], [d for d in dates[2:] if d is not None]
    return (_year(min(firsts)) if firsts else None, _year(max(lasts)) if lasts else None,
            undated or 0)


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
    racine = racine_id(plan.id)
    premiere, derniere, sans_date = _span(racine)
    cal = Calendrier(annee=annee or default_year(premiere, derniere, today), premiere=premiere,
                     derniere=derniere, sans_date=sans_date)
    if sans_date:
        cal.sans_date_titres = list(db.session.scalars(
            select(SAF.c.titre).where(SAF.c.axe_id == racine, SAF.c.vivante == true(),
                                      SAF.c.date_debut.is_(None), SAF.c.date_fin.is_(None))
            .order_by(binaire(SAF.c.titre), SAF.c.fiche_id).limit(UNDATED_SHOWN)))
    if premiere is None:
        return cal
    # a group: a top-level axe (its whole subtree) or the root (the fiches filed on it)
    g = aliased(Axe)
    start = func.coalesce(SAF.c.date_debut, SAF.c.date_fin)
    end = func.coalesce(SAF.c.date_fin, SAF.c.date_debut)
    pairs = (select(SAF.c.axe_id.label("grp"), SAF.c.fiche_id.label("id"), SAF.c.titre,
                    SAF.c.statut, SAF.c.date_debut, SAF.c.date_fin)
             .where(SAF.c.axe_id.in_(select(g.id).where(or_(g.parent_id == racine,
                                                            g.id == racine))),
                    SAF.c.vivante == true(), or_(SAF.c.axe_id != racine, SAF.c.ici == true()),
                    start <= date(cal.annee, 12, 31), end >= date(cal.annee, 1, 1))
             .subquery("paires"))
    cal.total = db.session.scalar(select(func.count()).select_from(pairs))
    cal.pages = max(1, -(-cal.total // PAGE))
    cal.page = min(max(page, 1), cal.pages)  # past the end: the last page
    rows = _page(pairs, cal.page) if cal.total else []
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
    """One page of (top-level axe, fiche) rows in calendar order (counted apart: no window
    over every row, so the database keeps only the page's rows while sorting)."""
    g = aliased(Axe)
    debut = func.coalesce(pairs.c.date_debut, pairs.c.date_fin)
    return db.session.execute(
        select(pairs, g.nom, g.parent_id.is_(None).label("racine"))
        .join(g, g.id == pairs.c.grp)
        .order_by(case((g.parent_id.is_(None), 0), else_=1), g.position, g.id, debut,
                  binaire(pairs.c.titre), pairs.c.id)
        .limit(PAGE).offset((page - 1) * PAGE)).all()
