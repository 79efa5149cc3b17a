"""The ``sous_arbre_fiche`` rows, kept up to date on write (issue 10, national scale).

A row per (axe, fiche filed at that axe or under it), deduplicated, with the fiche's figures
copied (titre, statut, priorité, dates, corbeille): the plan pages aggregate these rows' indexes
instead of joining every placement to its fiche. A row is a pure function of ``fiche_axe``,
the tree and the fiche: every write recomputes the rows of what it touched — never an
increment — so a missed write is repaired by recomputing, and ``rebuild`` gives the same rows
from scratch (the migration's backfill, after bulk seeds; the tests compare both).

Who recomputes: a fiche's figures follow it by a database trigger on ``fiche_action``
(any UPDATE, ORM or Core: ``agregats_tables``); placements and the tree by ORM flushes
(``register``: the ``axes`` / ``fiches`` collections, an axe moved: the fiches under it
only, an axe deleted otherwise than by ``arbre.delete_axe``: its plan); Core writers of
``fiche_axe`` call ``sync_fiches`` / ``before_delete_axe`` themselves (``arbre.ranger`` and
``delete_axe``, the import; the scale seed: ``rebuild``). The counts follow the rows by
triggers.
"""
from __future__ import annotations

from sqlalchemy import bindparam, delete, event, exists, func, insert, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
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


FAITS = "agregats_axes_retires"  # session.info: deleted axes whose rows are already done
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
    """Recompute every row of the plan (an axe deleted by the ORM alone, or moved to another
    plan)."""
    conn = conn or db.session.connection()
    conn.execute(delete(SAF).where(SAF.c.plan_id == plan_id))
    _fill(conn, select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)
          .join(Axe, Axe.id == fiche_axe.c.axe_id).where(Axe.plan_id == plan_id))


def sync_under(plan_id: int, axe_id: int, conn=None, removed=None) -> None:
    """Recompute, in the plan, the rows of the fiches under ``axe_id`` (its own rows list
    them) after it moved — or before its subtree ``removed`` (a select of axe ids) goes:
    add the missing rows, drop the stale ones; the plan's other rows are not touched."""
    conn = conn or db.session.connection()
    touched = select(SAF.c.fiche_id).where(SAF.c.axe_id == axe_id)
    placements = (select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)
                  .join(Axe, Axe.id == fiche_axe.c.axe_id)
                  .where(Axe.plan_id == plan_id, fiche_axe.c.fiche_id.in_(touched)))
    if removed is not None:
        placements = placements.where(fiche_axe.c.axe_id.not_in(removed))
    fresh = _rows(placements).cte("fraiches")
    stmt = (postgresql.insert(SAF) if conn.dialect.name == "postgresql" else sqlite.insert(SAF))
    conn.execute(stmt.from_select(COLUMNS, select(fresh).where(true()))
                 .on_conflict_do_nothing())  # a row's ici cannot change: same placements
    conn.execute(delete(SAF).where(
        SAF.c.plan_id == plan_id, SAF.c.fiche_id.in_(touched),
        ~exists().where(fresh.c.axe_id == SAF.c.axe_id, fresh.c.fiche_id == SAF.c.fiche_id)))


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


def _touched(session: Session) -> tuple[set[int], set[tuple[int, int]], set[int]]:
    """(fiche ids, (plan id, axe id) of moved axes, plan ids) whose rows this flush may
    change."""
    fiches, moved, plans = set(), set(), set()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, FicheAction):
            if _changed(obj, ("axes",)):
                fiches.add(obj.id)
        elif isinstance(obj, Axe):
            history = attributes.get_history(obj, "fiches", attributes.PASSIVE_NO_INITIALIZE)
            fiches |= _ids(history.added) | _ids(history.deleted)
            if obj not in session.new and _changed(obj, ("plan_id",)):
                plans.add(obj.plan_id)
                plans |= set(attributes.get_history(obj, "plan_id").deleted)
            elif obj not in session.new and _changed(obj, ("parent_id",)):
                moved.add((obj.plan_id, obj.id))
    done = session.info.get(FAITS, set())
    for obj in session.deleted:
        if isinstance(obj, Axe):
            if obj.id in done:
                done.discard(obj.id)
            else:
                plans.add(obj.plan_id)
    return fiches, moved, plans


def _after_flush(session: Session, _flush_context) -> None:
    fiches, moved, plans = _touched(session)
    if not (fiches or moved or plans):
        return
    conn = session.connection()
    for plan_id in sorted(plans):
        sync_plan(plan_id, conn)
    for plan_id, axe_id in sorted(moved):
        if plan_id not in plans:
            sync_under(plan_id, axe_id, conn)
    if fiches:
        sync_fiches(fiches, conn)


def before_delete_axe(axe: Axe, subtree) -> None:
    """``axe`` and its subtree (a select of their ids) are about to go: their rows, and
    those of the fiches filed only there, go now (the flush then leaves the plan alone)."""
    sync_under(axe.plan_id, axe.id, removed=subtree)
    db.session.info.setdefault(FAITS, set()).add(axe.id)


def register(session_class=Session) -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
