"""Where a fiche is filed: each place as its plan and the path of axe names leading to it,
read by two queries whatever the number of places, plans or axes (a recursive query walks
up from the places; the plans' other axes are never loaded)."""
from __future__ import annotations

from sqlalchemy import literal, select
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, Plan
from tet.plans.models import fiche_axe

MAX_DEPTH = 100  # a guard: a tree is never this deep


def chemins(fiche_id: int) -> list[tuple[Plan, list[str]]]:
    """Every place of the fiche in a live plan as (plan, names from the top level down to
    the place, the plan's root axe left out), sorted by plan name then path."""
    up = select(fiche_axe.c.axe_id.label("place"), Axe.parent_id, Axe.nom,
                literal(0).label("depth")).join(Axe, Axe.id == fiche_axe.c.axe_id).where(
        fiche_axe.c.fiche_id == fiche_id).cte("chemin", recursive=True)
    parent = aliased(Axe)
    up = up.union_all(select(up.c.place, parent.parent_id, parent.nom, up.c.depth + 1)
                      .join(parent, parent.id == up.c.parent_id)
                      .where(up.c.depth < MAX_DEPTH))
    paths: dict[int, list[str]] = {}
    for place, nom in db.session.execute(select(up.c.place, up.c.nom).where(
            up.c.parent_id.is_not(None)).order_by(up.c.place, up.c.depth.desc())):
        paths.setdefault(place, []).append(nom)
    plans = db.session.execute(select(Plan, fiche_axe.c.axe_id).join(
        Axe, Axe.plan_id == Plan.id).join(fiche_axe, fiche_axe.c.axe_id == Axe.id).where(
        fiche_axe.c.fiche_id == fiche_id, Plan.deleted_at.is_(None)))
    return sorted(((plan, paths.get(place, [])) for plan, place in plans),
                  key=lambda item: (item[0].nom, item[1]))
