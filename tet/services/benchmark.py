"""Benchmark of a collectivité's latest official index against its peers: same type and
population band, and same département (count, median, quartiles, percentile), computed in
SQL (window functions, understood by SQLite and PostgreSQL alike).

A group's figures are published only when it holds at least ``BENCHMARK_MIN_GROUPE`` other
collectivités with an official index: below that, a median or a percentile would reveal
another collectivité's own index."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select

from tet.extensions import db
from tet.models import Collectivite, Snapshot

BANDS = [(0, 2_000, "moins de 2 000 hab."), (2_000, 10_000, "2 000 à 10 000 hab."),
         (10_000, 50_000, "10 000 à 50 000 hab."), (50_000, 200_000, "50 000 à 200 000 hab."),
         (200_000, 10**9, "plus de 200 000 hab.")]


def band_of(population: int | None) -> tuple[int, int, str] | None:
    if population is None:
        return None
    return next(b for b in BANDS if b[0] <= population < b[1])


@dataclass
class Groupe:
    libelle: str
    count: int | None  # None (and every figure): too few others to publish the group
    median: float | None
    q1: float | None
    q3: float | None
    percentile: int | None  # share of peers whose index is ≤ this collectivité's
    minimum: int = 0  # the publication threshold, for the message

    @property
    def publie(self) -> bool:
        return self.count is not None


def _peers(condition):
    """Latest official index of each collectivité matching ``condition`` (a subquery)."""
    last = (select(Snapshot.collectivite_id, func.max(Snapshot.id).label("sid"))
            .where(Snapshot.officiel.is_(True)).group_by(Snapshot.collectivite_id).subquery())
    return (select(Snapshot.indice.label("indice"))
            .join(last, last.c.sid == Snapshot.id)
            .join(Collectivite, Collectivite.id == Snapshot.collectivite_id)
            .where(condition, Snapshot.indice.is_not(None))).subquery()


def _quartile(ranked, k: int):
    """The k-th quartile by linear interpolation between closest ranks (the usual 'type 7'),
    in integer arithmetic that SQLite and PostgreSQL evaluate alike."""
    low = (ranked.c.n - 1) * k // 4
    frac = ((ranked.c.n - 1) * k % 4) / 4.0
    return func.sum(case((ranked.c.rn == low, ranked.c.indice * (1 - frac)),
                         (ranked.c.rn == low + 1, ranked.c.indice * frac), else_=0))


def statistics(condition, mine: int | None) -> tuple:
    """(count, q1, median, q3, share of peers ≤ mine) — one SQL query."""
    peers = _peers(condition)
    ranked = select(peers.c.indice,
                    (func.row_number().over(order_by=peers.c.indice) - 1).label("rn"),
                    func.count().over().label("n")).subquery()
    at_most = func.sum(case((ranked.c.indice <= (mine if mine is not None else -1), 1),
                            else_=0))
    row = db.session.execute(select(func.count(), _quartile(ranked, 1), _quartile(ranked, 2),
                                    _quartile(ranked, 3), at_most).select_from(ranked)).one()
    return row


def min_groupe() -> int:
    return int(current_app.config.get("BENCHMARK_MIN_GROUPE", 5))


def _groupe(libelle: str, condition, mine: int | None) -> Groupe:
    count, q1, median, q3, at_most = statistics(condition, mine)
    minimum = min_groupe()
    others = count - (1 if mine is not None else 0)  # the collectivité is in its groups
    if others < minimum:
        return Groupe(libelle, None, None, None, None, None, minimum)
    percentile = round(100 * at_most / count) if mine is not None else None
    return Groupe(libelle, count, float(median), float(q1), float(q3), percentile, minimum)


def own_index(collectivite_id: int) -> int | None:
    return db.session.scalar(select(_peers(Collectivite.id == collectivite_id).c.indice))


def benchmark(collectivite: Collectivite) -> list[Groupe]:
    mine = own_index(collectivite.id)
    groups = []
    band = band_of(collectivite.population)
    if band is not None:
        cond = (Collectivite.type == collectivite.type) & \
            (Collectivite.population >= band[0]) & (Collectivite.population < band[1])
        groups.append(_groupe(f"{collectivite.type_label}, {band[2]}", cond, mine))
    if collectivite.departement:
        groups.append(_groupe(f"Département {collectivite.departement}",
                              Collectivite.departement == collectivite.departement, mine))
    return groups
