"""Plan tree operations (domain.md, "Plan tree").

Each plan has one root axe (``parent_id`` None, named like the plan) — the plan itself, under
which fiches can sit directly; the axes users see are its descendants. Siblings have dense
positions 0..n-1. Every operation keeps that invariant, refuses cycles, and never deletes a
fiche.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan, fiche_axe
from tet import verrous
from tet.plans import agregats as plan_agregats
from tet.plans import versions_fiche
from tet.tri import tri_fr


class TreeError(ValueError):
    """A refused tree operation (French message)."""


def siblings(plan_id: int, parent_id: int | None) -> list[Axe]:
    query = select(Axe).where(Axe.plan_id == plan_id)
    query = query.where(Axe.parent_id.is_(None) if parent_id is None
                        else Axe.parent_id == parent_id)
    return list(db.session.scalars(query.order_by(Axe.position, Axe.id)))


def _renumber(items: list[Axe]) -> None:
    for index, axe in enumerate(items):
        if axe.position != index:
            axe.position = index


def create_plan(collectivite_id: int, nom: str, type_: str = "autre", **fields) -> Plan:
    nom = (nom or "").strip()
    if not nom:
        raise TreeError("Donnez un nom au plan.")
    plan = Plan(collectivite_id=collectivite_id, nom=nom[:300], type=type_, **fields)
    db.session.add(plan)
    db.session.flush()
    db.session.add(Axe(plan_id=plan.id, parent_id=None, nom=plan.nom, position=0))
    db.session.flush()
    return plan


def root_of(plan: Plan) -> Axe:
    return db.session.scalar(select(Axe).where(Axe.plan_id == plan.id,
                                               Axe.parent_id.is_(None)))


def is_root(axe: Axe) -> bool:
    return axe.parent_id is None


def add_axe(plan: Plan, nom: str, parent: Axe | None = None) -> Axe:
    nom = (nom or "").strip()
    if not nom:
        raise TreeError("Donnez un titre à l'axe.")
    if parent is None:
        parent = root_of(plan)
    if parent.plan_id != plan.id:
        raise TreeError("Cet axe parent appartient à un autre plan.")
    axe = Axe(plan_id=plan.id, parent_id=parent.id, nom=nom[:300],
              position=len(siblings(plan.id, parent.id)))
    db.session.add(axe)
    db.session.flush()
    return axe


def rename_axe(axe: Axe, nom: str, version=verrous.LIBRE) -> None:
    """A new title (the root carries the plan's name: it changes with the plan);
    ``version``: the one the rename form was loaded with (``verrous.Perime`` if stale)."""
    if is_root(axe):
        raise TreeError("La racine porte le nom du plan : renommez-le par « Modifier le plan ».")
    nom = (nom or "").strip()
    if not nom:
        raise TreeError("Donnez un titre à l'axe.")
    verrous.verifier(axe, version)
    axe.nom = nom[:300]


def subtree_ids(axe: Axe):
    """A subquery of the ids of ``axe`` and of every axe under it (recursive CTE)."""
    down = select(Axe.id).where(Axe.id == axe.id).cte("sous_arbre", recursive=True)
    child = aliased(Axe)
    down = down.union_all(select(child.id).join(down, child.parent_id == down.c.id))
    return select(down.c.id)


def _is_under(axe: Axe, other: Axe) -> bool:
    """Is ``other`` ``axe`` itself or one of its sous-axes? (one query)"""
    sub = subtree_ids(axe).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)
                             .where(sub.c.id == other.id)) > 0


def _not_root(axe: Axe) -> None:
    if is_root(axe):
        raise TreeError("Opération impossible sur la racine du plan.")


def delete_axe(axe: Axe) -> None:
    """Remove the axe and its sous-axes; their fiches stay (one place fewer each)."""
    _not_root(axe)
    plan_id, parent_id = axe.plan_id, axe.parent_id
    plan_agregats.before_delete_axe(axe, subtree_ids(axe))
    db.session.execute(delete(fiche_axe).where(fiche_axe.c.axe_id.in_(subtree_ids(axe))),
                       execution_options={"synchronize_session": False})
    # The axe goes through the ORM (so the audit log records it); its sous-axes follow by
    # the foreign key's ON DELETE CASCADE.
    db.session.delete(axe)
    db.session.flush()
    db.session.expire_all()
    _renumber(siblings(plan_id, parent_id))
    db.session.flush()


def move(axe: Axe, offset: int) -> None:
    """Move up (-1) or down (+1) among its siblings."""
    _not_root(axe)
    items = siblings(axe.plan_id, axe.parent_id)
    index = next(i for i, a in enumerate(items) if a.id == axe.id)
    target = index + offset
    if not 0 <= target < len(items):
        raise TreeError("Cet axe est déjà " + ("en premier." if offset < 0 else "en dernier."))
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    db.session.flush()


def move_under(axe: Axe, new_parent: Axe, index: int | None = None) -> None:
    """Make ``axe`` a child of ``new_parent`` (the root: top level), last or at ``index``."""
    _not_root(axe)
    if new_parent.plan_id != axe.plan_id:
        raise TreeError("On ne peut déplacer un axe que dans son propre plan.")
    if _is_under(axe, new_parent):
        raise TreeError("Impossible : un axe ne peut pas être rangé sous lui-même "
                        "ou sous l'un de ses sous-axes.")
    new_parent_id = new_parent.id
    old = [a for a in siblings(axe.plan_id, axe.parent_id) if a.id != axe.id]
    _renumber(old)
    target = [a for a in siblings(axe.plan_id, new_parent_id) if a.id != axe.id]
    if index is None or not 0 <= index <= len(target):
        index = len(target)
    target.insert(index, axe)
    axe.parent_id = new_parent_id
    _renumber(target)
    db.session.flush()


def move_targets(axe: Axe) -> list[tuple[Axe, int]]:
    """Where ``axe`` may go (for the move page, built on demand): every axe of its plan in
    tree order with its depth (the root: 0), less ``axe`` and its sous-axes. One query."""
    axes = db.session.scalars(select(Axe).where(Axe.plan_id == axe.plan_id)
                              .order_by(Axe.position, Axe.id)).all()
    children = defaultdict(list)
    for a in axes:
        children[a.parent_id].append(a)
    out: list[tuple[Axe, int]] = []
    stack = [(a, 0) for a in reversed(children[None])]
    while stack:
        current, depth = stack.pop()
        if current.id == axe.id:
            continue  # neither the axe nor anything under it
        out.append((current, depth))
        stack += [(c, depth + 1) for c in reversed(children[current.id])]
    return out


def indent(axe: Axe) -> None:
    """Become the last child of the previous sibling."""
    _not_root(axe)
    items = siblings(axe.plan_id, axe.parent_id)
    index = next(i for i, a in enumerate(items) if a.id == axe.id)
    if index == 0:
        raise TreeError("Impossible d'indenter le premier axe de son niveau.")
    move_under(axe, items[index - 1])


def outdent(axe: Axe) -> None:
    """Become the sibling right after its parent."""
    _not_root(axe)
    parent = db.session.get(Axe, axe.parent_id)
    if parent.parent_id is None:
        raise TreeError("Cet axe est déjà au premier niveau.")
    move_under(axe, db.session.get(Axe, parent.parent_id), index=parent.position + 1)


# --- fiches and places -------------------------------------------------------------------

def places(fiche: FicheAction) -> list[Axe]:
    return list(db.session.scalars(
        select(Axe).join(fiche_axe, fiche_axe.c.axe_id == Axe.id)
        .where(fiche_axe.c.fiche_id == fiche.id)))


def ranger(fiche: FicheAction, axe_ids: set[int], version=verrous.LIBRE) -> None:
    """File the fiche under exactly these axes (of its own collectivité's plans);
    ``version``: the fiche's, as the form showed it (``verrous.Perime`` if stale)."""
    if axe_ids:
        valid = set(db.session.scalars(
            select(Axe.id).join(Plan).where(Axe.id.in_(axe_ids),
                                            Plan.collectivite_id == fiche.collectivite_id,
                                            Plan.deleted_at.is_(None))))
        if valid != set(axe_ids):
            raise TreeError("Une fiche ne peut être rangée que dans les plans de sa "
                            "collectivité.")
    verrous.verifier(fiche, version)
    current = set(db.session.scalars(select(fiche_axe.c.axe_id)
                                     .where(fiche_axe.c.fiche_id == fiche.id)))
    removed, added = current - set(axe_ids), set(axe_ids) - current
    if removed:
        db.session.execute(delete(fiche_axe).where(fiche_axe.c.fiche_id == fiche.id,
                                                   fiche_axe.c.axe_id.in_(removed)))
    if added:
        db.session.execute(insert(fiche_axe), [{"fiche_id": fiche.id, "axe_id": a}
                                               for a in sorted(added)])
    if removed or added:
        plan_agregats.sync_fiches([fiche.id])
        versions_fiche.marquer([fiche.id])
    db.session.expire(fiche, ["axes"])


# --- the tree in a bounded number of queries (no IN list of ids) ------------------------

@dataclass
class Node:
    axe: Axe
    children: list[Node] = field(default_factory=list)
    fiches: list[FicheAction] = field(default_factory=list)
    depth: int = 0
    nb: int = 0      # live fiches in the axe and its sous-axes (the tree page: SQL count)
    nb_ici: int = 0  # live fiches filed right under this axe (idem)

    def walk(self):
        """This node's descendants in tree order."""
        for child in self.children:
            yield child
            yield from child.walk()


def _build(axes: list[Axe]) -> list[Node]:
    """The roots (a plan has one: its root axe) of nodes nested with their depth."""
    nodes = {a.id: Node(a) for a in axes}
    roots = []
    for a in axes:
        (nodes[a.parent_id].children if a.parent_id in nodes else roots).append(nodes[a.id])

    def set_depth(items, depth):
        for n in items:
            n.depth = depth
            set_depth(n.children, depth + 1)

    set_depth(roots, -1)  # the root is the plan; its children are level 0
    return roots


def load_axes(plan: Plan) -> Node:
    """The root node of the plan, axes only (one query)."""
    return _build(list(db.session.scalars(select(Axe).where(Axe.plan_id == plan.id)
                                          .order_by(Axe.position, Axe.id))))[0]


def load_forest(collectivite_id: int) -> list[tuple[Plan, Node]]:
    """Every live plan of the collectivité with its root node, axes only (two queries)."""
    plans = list(db.session.scalars(select(Plan).where(
        Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None)).order_by(tri_fr(Plan.nom))))
    by_plan = defaultdict(list)
    for a in db.session.scalars(select(Axe).join(Plan).where(
            Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None))
            .order_by(Axe.position, Axe.id)):
        by_plan[a.plan_id].append(a)
    return [(p, _build(by_plan[p.id])[0]) for p in plans if by_plan[p.id]]


def load_tree(plan: Plan, fiche_options=()) -> tuple[Node, list[FicheAction]]:
    """(the root node, every live fiche of the plan) in two queries (plus ``fiche_options``'
    loads): the WHOLE plan — pages of big plans use ``arbre_page`` instead."""
    root = load_axes(plan)
    nodes = {n.axe.id: n for n in root.walk()} | {root.axe.id: root}
    query = (select(fiche_axe.c.axe_id, FicheAction)
             .join(FicheAction, FicheAction.id == fiche_axe.c.fiche_id)
             .join(Axe, Axe.id == fiche_axe.c.axe_id)
             .where(Axe.plan_id == plan.id, FicheAction.deleted_at.is_(None))
             .options(*fiche_options).order_by(tri_fr(FicheAction.titre), FicheAction.id))
    fiches = {}
    for axe_id, fiche in db.session.execute(query):
        fiches[fiche.id] = fiche
        nodes[axe_id].fiches.append(fiche)
    for node in nodes.values():
        node.fiches.sort(key=lambda f: f.titre.lower())
    return root, sorted(fiches.values(), key=lambda f: (f.titre, f.id))
