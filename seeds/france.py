"""``flask seed --france``: every commune, EPCI and EPT of France, in bulk.

The rows of ``collectivites/collectivites.csv.gz`` (``seeds/build_france.py``) are upserted
on their SIREN with one ``INSERT … ON CONFLICT DO UPDATE`` per batch, on SQLite and on
PostgreSQL. Only what changed is written, so a re-run is a read and a few comparisons.
A row taken over from the official list gets ``source = "officiel"``; demo rows are never
overwritten (the demo borrows real SIRENs). Then the EPCI ↔ communes links of the official
supras are made exactly those of the file; links to other supras (syndicats…) are left alone.
Core statements, not the ORM: the audit trail does not record 36 000 reference rows.
"""
from __future__ import annotations

import csv
import gzip
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.comptes.models import collectivite_membre

DATA = Path(__file__).with_name("collectivites") / "collectivites.csv.gz"
FIELDS = ("nom", "type", "code_insee", "population", "departement", "region")
BATCH = 5000
_coll = Collectivite.__table__


def read(path: Path = DATA) -> list[dict]:
    """The file's rows: the Collectivite columns, plus ``supras`` (SIRENs)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return [{
            "siren": r["siren"], "nom": r["nom"], "type": r["type"],
            "code_insee": r["code_insee"] or None,
            "population": int(r["population"]) if r["population"] else None,
            "departement": r["departement"] or None, "region": r["region"] or None,
            "supras": r["supras"].split(),
        } for r in csv.DictReader(fh)]


def load_france(path: Path | None = None) -> dict:
    """Upsert the official list and sync its links; returns counts of what changed."""
    rows = read(path or DATA)
    known = {r.siren: r for r in db.session.execute(
        select(_coll.c.siren, _coll.c.source, *(_coll.c[f] for f in FIELDS)))}
    nouveaux, modifies, demo = [], [], 0
    for row in rows:
        old = known.get(row["siren"])
        if old is None:
            nouveaux.append(row)
        elif old.source == "demo":
            demo += 1
        elif old.source != "officiel" or any(getattr(old, f) != row[f] for f in FIELDS):
            modifies.append(row)
    _upsert(nouveaux + modifies)
    counts = {"lues": len(rows), "creees": len(nouveaux), "mises_a_jour": len(modifies),
              "demo_ignorees": demo}
    counts.update(_sync_links(rows))
    db.session.commit()
    return counts


def _upsert(rows: list[dict]) -> None:
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql.insert(_coll) if dialect == "postgresql" else sqlite.insert(_coll))
    stmt = stmt.on_conflict_do_update(
        index_elements=[_coll.c.siren],
        set_={**{f: stmt.excluded[f] for f in FIELDS}, "source": "officiel"},
        where=_coll.c.source != "demo",
    )
    values = [{"siren": r["siren"], "source": "officiel", **{f: r[f] for f in FIELDS}}
              for r in rows]
    for start in range(0, len(values), BATCH):  # executemany (psycopg: pipeline mode)
        db.session.execute(stmt, values[start:start + BATCH])


def _sync_links(rows: list[dict]) -> dict:
    """The links of every official supra become exactly the file's."""
    ids = dict(db.session.execute(
        select(_coll.c.siren, _coll.c.id).where(_coll.c.source == "officiel")).all())
    wanted = {(ids[s], ids[r["siren"]]) for r in rows for s in r["supras"]
              if s in ids and r["siren"] in ids}
    supra = _coll.alias("supra")
    link = collectivite_membre
    existing = set(db.session.execute(
        select(link.c.supra_id, link.c.membre_id)
        .join(supra, supra.c.id == link.c.supra_id)
        .where(supra.c.source == "officiel", supra.c.type != "commune")).all())
    added = sorted(wanted - existing)
    removed = sorted(existing - wanted)
    for start in range(0, len(added), BATCH):
        db.session.execute(insert(link), [{"supra_id": s, "membre_id": m}
                                          for s, m in added[start:start + BATCH]])
    if removed:
        db.session.execute(delete(link).where(link.c.supra_id == bindparam("s"),
                                              link.c.membre_id == bindparam("m")),
                           [{"s": s, "m": m} for s, m in removed])
    return {"liens_ajoutes": len(added), "liens_retires": len(removed)}
