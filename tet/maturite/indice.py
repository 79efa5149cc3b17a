"""The current maturity index of each collectivité (``IndiceCourant``, ``IndiceCategorie``):
a copy of its latest snapshot and of its latest official one, written by ORM events in the
transaction that inserts or deletes a snapshot, rebuilt in SQL after bulk inserts (seed
--scale). "Latest" is the highest snapshot id, as everywhere else."""
from __future__ import annotations

from sqlalchemy import Integer, case, cast, delete, event, func, inspect, select, true
from sqlalchemy.dialects import postgresql, sqlite

from tet.maturite.models import IndiceCategorie, IndiceCourant, Snapshot

COURANT = IndiceCourant.__table__
CATEGORIES = IndiceCategorie.__table__
SNAP = Snapshot.__table__
LATEST = ("snapshot_id", "at", "version_id", "indice", "lettre", "progression", "officiel")
OFFICIAL = ("officiel_snapshot_id", "officiel_at", "indice_officiel", "lettre_officielle")


def _insert(conn):
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert


def _columns(latest, official) -> list:
    """The source columns in the order of ``LATEST + OFFICIAL``."""
    return [latest.c.collectivite_id, latest.c.id, latest.c.at, latest.c.version_id,
            latest.c.indice, latest.c.lettre, latest.c.progression, latest.c.officiel,
            official.c.id, official.c.at, official.c.indice, official.c.lettre]


def record(conn, snapshot_id: int, par_categorie: dict | None) -> None:
    """Upsert the collectivité's row from one new snapshot, unless a newer one is there."""
    s = SNAP
    official = case((s.c.officiel.is_(True), s.c.id))
    source = select(s.c.collectivite_id, s.c.id, s.c.at, s.c.version_id, s.c.indice,
                    s.c.lettre, s.c.progression, s.c.officiel, official,
                    case((s.c.officiel.is_(True), s.c.at)),
                    case((s.c.officiel.is_(True), s.c.indice)),
                    case((s.c.officiel.is_(True), s.c.lettre))).where(s.c.id == snapshot_id)
    stmt = _insert(conn)(COURANT).from_select(["collectivite_id", *LATEST, *OFFICIAL], source)
    keep = stmt.excluded.officiel_snapshot_id.is_(None)
    values = {c: stmt.excluded[c] for c in LATEST}
    values.update({c: case((keep, COURANT.c[c]), else_=stmt.excluded[c]) for c in OFFICIAL})
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[COURANT.c.collectivite_id], set_=values,
        where=COURANT.c.snapshot_id < stmt.excluded.snapshot_id))
    cid = conn.scalar(select(COURANT.c.collectivite_id).where(
        COURANT.c.snapshot_id == snapshot_id))
    if cid is None:  # a newer snapshot was already recorded
        return
    conn.execute(delete(CATEGORIES).where(CATEGORIES.c.collectivite_id == cid))
    rows = [{"collectivite_id": cid, "categorie_code": code, "indice": (part or {}).get("indice")}
            for code, part in (par_categorie or {}).items()]
    if rows:
        conn.execute(CATEGORIES.insert(), rows)


def rebuild(conn, collectivite_id: int | None = None) -> None:
    """Recompute every row (or one collectivité's) from the snapshots, in SQL."""
    def only(query, column):
        return query if collectivite_id is None else query.where(column == collectivite_id)

    conn.execute(only(delete(CATEGORIES), CATEGORIES.c.collectivite_id))
    conn.execute(only(delete(COURANT), COURANT.c.collectivite_id))
    last = only(select(SNAP.c.collectivite_id, func.max(SNAP.c.id).label("sid")),
                SNAP.c.collectivite_id).group_by(SNAP.c.collectivite_id).subquery()
    last_off = only(select(SNAP.c.collectivite_id, func.max(SNAP.c.id).label("sid"))
                    .where(SNAP.c.officiel.is_(True)), SNAP.c.collectivite_id) \
        .group_by(SNAP.c.collectivite_id).subquery()
    latest, official = SNAP.alias("latest"), SNAP.alias("official")
    source = (select(*_columns(latest, official))
              .join(last, last.c.sid == latest.c.id)
              .outerjoin(last_off, last_off.c.collectivite_id == latest.c.collectivite_id)
              .outerjoin(official, official.c.id == last_off.c.sid))
    conn.execute(COURANT.insert().from_select(["collectivite_id", *LATEST, *OFFICIAL], source))
    conn.execute(CATEGORIES.insert().from_select(
        ["collectivite_id", "categorie_code", "indice"],
        only(_categories(conn.dialect.name), COURANT.c.collectivite_id)))


def _categories(dialect: str):
    """(collectivité, category code, index) read from the JSON of the latest snapshots."""
    parts = func.json_each(SNAP.c.par_categorie).table_valued("key", "value").alias("j")
    if dialect == "postgresql":
        indice = cast(parts.c.value.op("->>")("indice"), Integer)
    else:
        indice = func.json_extract(parts.c.value, "$.indice")
    return (select(COURANT.c.collectivite_id, parts.c.key, indice)
            .select_from(COURANT.join(SNAP, SNAP.c.id == COURANT.c.snapshot_id)
                         .join(parts, true())))


@event.listens_for(Snapshot, "after_insert")
def _snapshot_inserted(_mapper, conn, target: Snapshot) -> None:
    record(conn, target.id, inspect(target).dict.get("par_categorie"))


@event.listens_for(Snapshot, "after_delete")
def _snapshot_deleted(_mapper, conn, target: Snapshot) -> None:
    rebuild(conn, target.collectivite_id)
