"""The ``sous_arbre_fiche`` rows, kept up to date on write (issue 10, national scale).

A row per (axe, fiche filed at that axe or under it), deduplicated, with the fiche's figures
copied (titre, statut, priorité, dates, corbeille): the plan pages aggregate these rows' indexes
instead of joining every placement to its fiche. A row is a pure function of ``fiche_axe``,
the tree and the fiche: every write recomputes the rows of what it touched — never an
increment — so a missed write is repaired by recomputing, and ``rebuild`` gives the same rows
from scratch (the migration's backfill, after bulk seeds; the tests compare both).

Who recomputes: a fiche's figures follow it by a database trigger on ``fiche_action``
(any UPDATE, ORM or Core: ``models.plans.COPIE_FICHE``); placements and the tree by ORM
flushes (``register``: the ``axes`` / ``fiches`` collections, axes moved to another parent
or deleted); Core writers of ``fiche_axe`` call ``sync_fiches`` / ``sync_plan`` themselves
(``tree.ranger``, the import, the scale seed: ``rebuild``).
"""
from __future__ import annotations

from sqlalchemy import bindparam, delete, event, func, insert, literal, select
from sqlalchemy.orm import Session, attributes

from tet.extensions import db
from tet.plans.agregats_tables import sous_arbre_compte, sous_arbre_fiche, sous_arbre_total
from tet.plans.models import Axe, FicheAction, fiche_axe

SAF = sous_arbre_fiche


def _rows(placements):
    """The rows of ``placements`` (a select of fiche_id, axe_id): each placement climbs to
    the root (recursive CTE), deduplicated per (axe, fiche), with the fiche's figures."""
    up = placements.add_columns(literal(1).label("ici")).cte("montee", recursive=True)
    parent = select(up.c.fiche_id, Axe.parent_id, literal(0)).join(
        Axe, Axe.id == up.c.axe_id).where(Axe.parent_id.is_not(None))
    up = up.union_all(parent)
    pairs = (select(up.c.axe_id, up.c.fiche_id, func.max(up.c.ici).label("ici"))
             .group_by(up.c.axe_id, up.c.fiche_id).subquery("paires"))
    return (select(pairs.c.axe_id, pairs.c.fiche_id, Axe.plan_id, FicheAction.collectivite_id,
                   Axe.parent_id.is_(None), pairs.c.ici == 1,
                   FicheAction.deleted_at.is_(None), FicheAction.titre, FicheAction.statut,
                   FicheAction.priorite, FicheAction.date_debut, FicheAction.date_fin)
            .join(Axe, Axe.id == pairs.c.axe_id)
            .join(FicheAction, FicheAction.id == pairs.c.fiche_id))


COLUMNS = ["axe_id", "fiche_id", "plan_id", "collectivite_id", "racine", "ici", "vivante", "titre",
           "statut", "priorite", "date_debut", "date_fin"]


def _fill(conn, placements) -> None:
    conn.execute(insert(SAF).from_select(COLUMNS, _rows(placements)))


def sync_fiches(fiche_ids, conn=None) -> None:
    """Recompute the rows of these fiches (ids a write just touched) in every plan: two
    statements, each run once per fiche (executemany), whatever their number."""
    conn = conn or db.session.connection()
    params = [{"f": fiche_id} for fiche_id in sorted(set(fiche_ids))]
    if not params:
        return
    conn.execute(delete(SAF).where(SAF.c.fiche_id == bindparam("f")), params)
    conn.execute(insert(SAF).from_select(COLUMNS, _rows(
        select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)
        .where(fiche_axe.c.fiche_id == bindparam("f")))), params)


def sync_plan(plan_id: int, conn=None) -> None:
    """Recompute every row of the plan (an axe moved or deleted, a bulk import)."""
    conn = conn or db.session.connection()
    conn.execute(delete(SAF).where(SAF.c.plan_id == plan_id))
    _fill(conn, select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)
          .join(Axe, Axe.id == fiche_axe.c.axe_id).where(Axe.plan_id == plan_id))


def rebuild(conn=None) -> None:
    """Every row from scratch (and so every count: the triggers count the rows inserted)."""
    conn = conn or db.session.connection()
    for counts in (sous_arbre_total, sous_arbre_compte):  # first: the rows' deletion then
        conn.execute(delete(counts))                      # takes from no count
    conn.execute(delete(SAF))
    _fill(conn, select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id))


# --- ORM writes ------------------------------------------------------------------------

def _changed(obj, names) -> bool:
    return any(attributes.get_history(obj, name, attributes.PASSIVE_NO_INITIALIZE)
               .has_changes() for name in names)


def _ids(objs) -> set[int]:
    return {o.id for o in objs if o.id is not None}


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """(fiche ids, plan ids) whose rows this flush may change."""
    fiches, plans = set(), set()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, FicheAction):
            if _changed(obj, ("axes",)):
                fiches.add(obj.id)
        elif isinstance(obj, Axe):
            history = attributes.get_history(obj, "fiches", attributes.PASSIVE_NO_INITIALIZE)
            fiches |= _ids(history.added) | _ids(history.deleted)
            if obj not in session.new and _changed(obj, ("parent_id", "plan_id")):
                plans.add(obj.plan_id)
    for obj in session.deleted:
        if isinstance(obj, Axe):
            plans.add(obj.plan_id)
    return fiches, plans


def _after_flush(session: Session, _flush_context) -> None:
    fiches, plans = _touched(session)
    if not (fiches or plans):
        return
    conn = session.connection()
    for plan_id in sorted(plans):
        sync_plan(plan_id, conn)
    if fiches:
        sync_fiches(fiches, conn)


def register(session_class=Session) -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
