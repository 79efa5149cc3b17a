"""The plan tree page bounded by what it shows (issue 10): every axe with its fiche counts
(one GROUP BY over the maintained ``sous_arbre_total`` counts), only the first fiches of each
axe, and one axe's fiches a page at a time. No query loads the plan's fiches, and none
carries a list of ids."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select, true, tuple_
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.agregats_tables import sous_arbre_total as T
from tet.plans import arbre

PER_AXE = 20        # fiches listed under one axe on the tree page
PAGE_BUDGET = 500   # fiche lines on the whole tree page (a 2,000-axe plan lists none)
AXE_PAGE = 50       # fiches per page of one axe
ID_MAX = 2**31 - 1  # an axe with fewer fiches than shown: all of them (an index bound)


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


def _counts(plan: Plan) -> tuple[dict[int, int], dict[int, int]]:
    """({axe: live fiches filed right under it}, {axe: distinct live fiches in its subtree}):
    one GROUP BY over the plan's maintained counts (``sous_arbre_total``)."""
    own, subtree = {}, {}
    for axe_id, n, ici in db.session.execute(
            select(T.c.axe_id, func.sum(T.c.n), func.sum(case((T.c.ici == true(), T.c.n), else_=0)))
            .where(T.c.plan_id == plan.id).group_by(T.c.axe_id)):
        subtree[axe_id], own[axe_id] = n or 0, ici or 0
    return own, subtree


def _first_fiches(plan: Plan, n: int):
    """(axe_id, fiche): the ``n`` oldest live fiches filed right under each axe (index
    order). Per axe, the ``n``-th one's id is found on the index (a seek), then the axe's
    rows up to it: never the plan's every placement."""
    here = aliased(SAF)
    seuil = (select(here.c.fiche_id).where(here.c.axe_id == Axe.id, here.c.ici == true(),
                                           here.c.vivante == true())
             .order_by(here.c.fiche_id).offset(n - 1).limit(1).scalar_subquery())
    cut = (select(Axe.id.label("axe_id"), seuil.label("seuil")).where(Axe.plan_id == plan.id)
           .cte("seuils").prefix_with("MATERIALIZED"))
    return (select(SAF.c.axe_id, FicheAction).select_from(cut)
            .join(SAF, and_(SAF.c.axe_id == cut.c.axe_id, SAF.c.ici == true(),
                            SAF.c.vivante == true(),
                            SAF.c.fiche_id <= func.coalesce(cut.c.seuil, ID_MAX)))
            .join(FicheAction, FicheAction.id == SAF.c.fiche_id))


def _order():
    return func.lower(FicheAction.titre), FicheAction.id


def load(plan: Plan, fiche_options=()) -> TreePage:
    """The tree page: axes (1 query), counts (1), the first fiches of each axe (1, plus
    ``fiche_options``' loads, bounded by ``PAGE_BUDGET``)."""
    root = arbre.load_axes(plan)
    axes = list(root.walk())
    nodes = {n.axe.id: n for n in axes} | {root.axe.id: root}
    own, subtree = _counts(plan)
    for axe_id, node in nodes.items():
        node.nb_ici = own.get(axe_id, 0)
        node.nb = subtree.get(axe_id, node.nb_ici)
    per_axe = min(PER_AXE, PAGE_BUDGET // max(1, sum(1 for n in nodes.values() if n.nb_ici)))
    if per_axe:
        for axe_id, fiche in db.session.execute(_first_fiches(plan, per_axe)
                                                .options(*fiche_options)):
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
    return db.session.scalar(select(func.coalesce(func.sum(T.c.n), 0)).where(
        T.c.axe_id == axe.id, T.c.ici == true()))
