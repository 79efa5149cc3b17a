"""The plan tree page bounded by what it shows (issue 10): every axe with its fiche counts
(SQL GROUP BY), only the first fiches of each axe, and one axe's fiches a page at a time.
No query loads the plan's fiches, and none carries a list of ids."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select, tuple_
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans import arbre

PER_AXE = 20        # fiches listed under one axe on the tree page
PAGE_BUDGET = 500   # fiche lines on the whole tree page (a 2,000-axe plan lists none)
AXE_PAGE = 50       # fiches per page of one axe


@dataclass
class TreePage:
    root: arbre.Node
    axes: list[arbre.Node]  # tree order, the root left out
    total: int             # live fiches of the plan
    per_axe: int           # fiches listed under each axe (0: counts and links only)

    @property
    def abrege(self) -> bool:
        """Fewer than ``PER_AXE`` fiches per axe, for the page's size."""
        return self.per_axe < PER_AXE and bool(self.axes)


def _ancestors(plan_id: int):
    """(axe_id, ancestor_id) of the plan: each axe with itself and every axe above it."""
    up = (select(Axe.id.label("axe_id"), Axe.id.label("ancestor_id"),
                 Axe.parent_id.label("next_id"))
          .where(Axe.plan_id == plan_id).cte("ancetres", recursive=True))
    parent = aliased(Axe)
    return up.union_all(select(up.c.axe_id, parent.id, parent.parent_id)
                        .join(parent, parent.id == up.c.next_id))


def _counts(plan: Plan) -> tuple[dict[int, int], dict[int, int]]:
    """({axe: fiches filed right under it}, {axe with sous-axes: distinct fiches in its
    subtree}): two aggregates; a leaf (most placements) is counted once, not per ancestor."""
    placed = arbre.placements(plan).subquery()
    own = dict(db.session.execute(select(placed.c.axe_id, func.count())
                                  .group_by(placed.c.axe_id)).all())
    up = _ancestors(plan.id)
    parents = select(Axe.parent_id).where(Axe.plan_id == plan.id, Axe.parent_id.is_not(None))
    subtree = dict(db.session.execute(
        select(up.c.ancestor_id, func.count(distinct(placed.c.fiche_id)))
        .join(placed, placed.c.axe_id == up.c.axe_id)
        .where(up.c.ancestor_id.in_(parents)).group_by(up.c.ancestor_id)).all())
    return own, subtree


def _order():
    return func.lower(FicheAction.titre), FicheAction.id


def load(plan: Plan, fiche_options=()) -> TreePage:
    """The tree page: axes (1 query), counts (2), the first fiches of each axe (1, plus
    ``fiche_options``' loads, bounded by ``PAGE_BUDGET``)."""
    root = arbre.load_axes(plan)
    axes = list(root.walk())
    nodes = {n.axe.id: n for n in axes} | {root.axe.id: root}
    own, subtree = _counts(plan)
    for axe_id, node in nodes.items():
        node.nb_ici = own.get(axe_id, 0)
        node.nb = subtree.get(axe_id, node.nb_ici)
    per_axe = min(PER_AXE, PAGE_BUDGET // max(1, sum(1 for n in nodes.values() if n.nb_ici)))
    if per_axe:  # the oldest placements of each axe (index order), shown by title
        placed = arbre.placements(plan).add_columns(func.row_number().over(
            partition_by=arbre.fiche_axe.c.axe_id, order_by=arbre.fiche_axe.c.fiche_id
        ).label("rang")).subquery()
        rows = db.session.execute(
            select(placed.c.axe_id, FicheAction)
            .join(FicheAction, FicheAction.id == placed.c.fiche_id)
            .where(placed.c.rang <= per_axe).options(*fiche_options))
        for axe_id, fiche in rows:
            nodes[axe_id].fiches.append(fiche)
        for node in nodes.values():
            node.fiches.sort(key=lambda f: (f.titre.lower(), f.id))
    return TreePage(root, axes, root.nb, per_axe)


def axe_fiches(axe: Axe, after: int | None = None, fiche_options=()) -> list[FicheAction]:
    """One page of the live fiches filed right under ``axe``, by title, after the fiche
    ``after`` (keyset: no OFFSET however deep); one more than ``AXE_PAGE`` tells a next page."""
    query = (select(FicheAction).join(arbre.fiche_axe,
                                      arbre.fiche_axe.c.fiche_id == FicheAction.id)
             .where(arbre.fiche_axe.c.axe_id == axe.id, FicheAction.deleted_at.is_(None)))
    if after is not None:
        mark = select(*_order()).where(FicheAction.id == after).subquery()
        query = query.where(tuple_(*_order()) > tuple_(*mark.c))
    return list(db.session.scalars(query.order_by(*_order()).limit(AXE_PAGE + 1)
                                   .options(*fiche_options)))


def count_here(axe: Axe) -> int:
    return db.session.scalar(
        select(func.count()).select_from(arbre.fiche_axe)
        .join(FicheAction, FicheAction.id == arbre.fiche_axe.c.fiche_id)
        .where(arbre.fiche_axe.c.axe_id == axe.id, FicheAction.deleted_at.is_(None)))
