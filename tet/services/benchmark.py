"""Benchmark of a collectivité's latest official index against its peers: same type and
population band, and same département (count, median, quartiles, percentile)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

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
    count: int
    median: float | None
    q1: float | None
    q3: float | None
    percentile: int | None  # share of peers whose index is ≤ this collectivité's


def quantile(sorted_values: list[int], q: float) -> float | None:
    """Linear interpolation between closest ranks (the usual 'type 7' definition)."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def official_indices(condition) -> dict[int, int]:
    """{collectivité id: latest official index} for the collectivités matching ``condition``
    (one SQL query: latest official snapshot per collectivité)."""
    last = (select(Snapshot.collectivite_id, func.max(Snapshot.id).label("sid"))
            .where(Snapshot.officiel.is_(True)).group_by(Snapshot.collectivite_id).subquery())
    rows = db.session.execute(
        select(Snapshot.collectivite_id, Snapshot.indice)
        .join(last, last.c.sid == Snapshot.id)
        .join(Collectivite, Collectivite.id == Snapshot.collectivite_id)
        .where(condition, Snapshot.indice.is_not(None)))
    return dict(rows.all())


def _groupe(libelle: str, indices: dict[int, int], mine: int | None) -> Groupe:
    values = sorted(indices.values())
    percentile = None
    if mine is not None and values:
        percentile = round(100 * sum(v <= mine for v in values) / len(values))
    return Groupe(libelle, len(values), quantile(values, .5), quantile(values, .25),
                  quantile(values, .75), percentile)


def benchmark(collectivite: Collectivite) -> list[Groupe]:
    mine = official_indices(Collectivite.id == collectivite.id).get(collectivite.id)
    groups = []
    band = band_of(collectivite.population)
    if band is not None:
        cond = (Collectivite.type == collectivite.type) & \
            (Collectivite.population >= band[0]) & (Collectivite.population < band[1])
        groups.append(_groupe(f"{collectivite.type_label}, {band[2]}", official_indices(cond),
                              mine))
    if collectivite.departement:
        groups.append(_groupe(f"Département {collectivite.departement}",
                              official_indices(Collectivite.departement ==
                                               collectivite.departement), mine))
    return groups
