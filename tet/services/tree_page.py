"""The plan tree page bounded by what it shows (issue 10): every axe with its fiche counts
(SQL GROUP BY), only the first fiches of each axe, and one axe's fiches a page at a time.
No query loads the plan's fiches, and none carries a list of ids."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select, tuple_
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.models.plans import Axe, FicheAction, Plan
from tet.services import tree

PER_AXE = 20        # fiches listed under one axe on the tree page
PAGE_BUDGET = 500   # fiche lines on the whole tree page (a 2,000-axe plan lists none)
AXE_PAGE = 50       # fiches per page of one axe


@dataclass
class TreePage:
    root: tree.Node
    axes: list[tree.Node]  # tree order, the root left out
    total: int             # live fiches of the plan
    per_axe: int           # fiches listed under each axe (0: counts and links only)


def _ancestors(plan_id: int):
    """(axe_id, ancestor_id) of the plan: each axe with itself and every axe above it."""
    up = (select(Axe.id.label("axe_id"), Axe.id.label("ancestor_id"),
                 Axe.parent_id.label("next_id"))
          .where(Axe.plan_id == plan_id).cte("ancetres", recursive=True))
    parent = aliased(Axe)
    return up.union_all(select(up.c.axe_id, parent.id, parent.parent_id)
                        .join(parent, parent.id == up.c.next_id))


def _counts(plan: Plan) -> dict[int, tuple[int, int]]:
    """{axe: (distinct fiches in its subtree, fiches filed right under it)}, one query."""
    placed = tree.placements(plan).subquery()
    up = _ancestors(plan.id)
    return {axe_id: (nb, nb_ici) for axe_id, nb, nb_ici in db.session.execute(
        select(up.c.ancestor_id, func.count(distinct(placed.c.fiche_id)),
               func.sum(case((up.c.axe_id == up.c.ancestor_id, 1), else_=0)))
        .join(placed, placed.c.axe_id == up.c.axe_id).group_by(up.c.ancestor_id))}


def _order():
    return func.lower(FicheAction.titre), FicheAction.id


def load(plan: Plan, fiche_options=()) -> TreePage:
    """The tree page: axes (1 query), counts (1), the first fiches of each axe (1, plus
    ``fiche_options``' loads, bounded by ``PAGE_BUDGET``)."""
    root = tree.load_axes(plan)
    axes = list(root.walk())
    nodes = {n.axe.id: n for n in axes} | {root.axe.id: root}
    counts = _counts(plan)
    for axe_id, node in nodes.items():
        node.nb, node.nb_ici = counts.get(axe_id, (0, 0))
    per_axe = min(PER_AXE, PAGE_BUDGET // max(1, sum(1 for n in nodes.values() if n.nb_ici)))
    if per_axe:
        placed = tree.placements(plan).add_columns(
            func.row_number().over(partition_by=Axe.id, order_by=_order()).label("rang")
        ).subquery()
        rows = db.session.execute(
            select(placed.c.axe_id, FicheAction)
            .join(FicheAction, FicheAction.id == placed.c.fiche_id)
            .where(placed.c.rang <= per_axe).order_by(placed.c.axe_id, placed.c.rang)
            .options(*fiche_options))
        for axe_id, fiche in rows:
            nodes[axe_id].fiches.append(fiche)
    return TreePage(root, axes, root.nb, per_axe)


def axe_fiches(axe: Axe, after: int | None = None, fiche_options=()) -> list[FicheAction]:
    """One page of the live fiches filed right under ``axe``, by title, after the fiche
    ``after`` (keyset: no OFFSET however deep); one more than ``AXE_PAGE`` tells a next page."""
    query = (select(FicheAction).join(tree.fiche_axe,
                                      tree.fiche_axe.c.fiche_id == FicheAction.id)
             .where(tree.fiche_axe.c.axe_id == axe.id, FicheAction.deleted_at.is_(None)))
    if after is not None:
        mark = select(*_order()).where(FicheAction.id == after).subquery()
        query = query.where(tuple_(*_order()) > tuple_(*mark.c))
    return list(db.session.scalars(query.order_by(*_order()).limit(AXE_PAGE + 1)
                                   .options(*fiche_options)))


def count_here(axe: Axe) -> int:
    return db.session.scalar(
        select(func.count()).select_from(tree.fiche_axe)
        .join(FicheAction, FicheAction.id == tree.fiche_axe.c.fiche_id)
        .where(tree.fiche_axe.c.axe_id == axe.id, FicheAction.deleted_at.is_(None)))
