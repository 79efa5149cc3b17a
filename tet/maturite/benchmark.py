"""Benchmark of a collectivité's latest official index against its peers: same type and
population band, and same département (count, median, quartiles, percentile), computed in
SQL (window functions, understood by SQLite and PostgreSQL alike).

A group's figures are published only when it holds at least ``BENCHMARK_MIN_GROUPE`` other
collectivités with an official index: below that, a median or a percentile would reveal
another collectivité's own index."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, literal, select, union_all

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import IndiceCourant

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


def _peers(conditions: list):
    """Latest official index of the collectivités matching each condition, tagged with the
    condition's rank ``g`` (one subquery), read from the current index table."""
    return union_all(*[
        select(literal(k).label("g"), IndiceCourant.indice_officiel.label("indice"))
        .join(Collectivite, Collectivite.id == IndiceCourant.collectivite_id)
        .where(condition, IndiceCourant.indice_officiel.is_not(None))
        for k, condition in enumerate(conditions)]).subquery()


def quantile(histogram: list[tuple[int, int]], k: int, parts: int = 4) -> float:
    """The k-th of ``parts`` quantiles by linear interpolation between closest ranks (the
    usual 'type 7'; k=2 of 4 is ``statistics.median``), of values given as (value, count)
    pairs sorted by value — indices are integers from 0 to 100, so SQL only counts them."""
    def nth(rank: int) -> int:  # the value at this rank (from 0) in sorted order
        seen = 0
        for value, n in histogram:
            seen += n
            if rank < seen:
                return value
        raise IndexError(rank)

    total = sum(n for _v, n in histogram)
    low, rest = divmod((total - 1) * k, parts)
    if not rest:
        return float(nth(low))
    return nth(low) * (1 - rest / parts) + nth(low + 1) * rest / parts


def statistics(conditions: list, collectivite_id: int) -> tuple[int | None, list[tuple]]:
    """The collectivité's own official index, and per condition (count, q1, median, q3,
    number of peers ≤ its index) — one SQL query counting each index value per group."""
    peers = _peers(conditions)
    mine = select(IndiceCourant.indice_officiel).where(
        IndiceCourant.collectivite_id == collectivite_id).scalar_subquery()
    rows = db.session.execute(select(peers.c.g, peers.c.indice, func.count(), mine)
                              .group_by(peers.c.g, peers.c.indice)
                              .order_by(peers.c.g, peers.c.indice)).all()
    own = rows[0][3] if rows else None
    histograms: dict[int, list[tuple[int, int]]] = {}
    for g, indice, n, _own in rows:
        histograms.setdefault(g, []).append((indice, n))
    figures = []
    for k in range(len(conditions)):
        h = histograms.get(k)
        if not h:
            figures.append((0, None, None, None, 0))
            continue
        at_most = sum(n for value, n in h if own is not None and value <= own)
        figures.append((sum(n for _v, n in h), quantile(h, 1), quantile(h, 2),
                        quantile(h, 3), at_most))
    return own, figures


def min_groupe() -> int:
    return int(current_app.config.get("BENCHMARK_MIN_GROUPE", 5))


def _groupe(libelle: str, figures: tuple, mine: int | None) -> Groupe:
    count, q1, median, q3, at_most = figures
    minimum = min_groupe()
    others = count - (1 if mine is not None else 0)  # the collectivité is in its groups
    if others < minimum:
        return Groupe(libelle, None, None, None, None, None, minimum)
    percentile = round(100 * at_most / count) if mine is not None else None
    return Groupe(libelle, count, float(median), float(q1), float(q3), percentile, minimum)


def benchmark(collectivite: Collectivite) -> list[Groupe]:
    groups = []
    band = band_of(collectivite.population)
    if band is not None:
        groups.append((f"{collectivite.type_label}, {band[2]}",
                       (Collectivite.type == collectivite.type)
                       & (Collectivite.population >= band[0])
                       & (Collectivite.population < band[1])))
    if collectivite.departement:
        groups.append((f"Département {collectivite.departement}",
                       Collectivite.departement == collectivite.departement))
    if not groups:
        return []
    mine, figures = statistics([cond for _l, cond in groups], collectivite.id)
    return [_groupe(libelle, f, mine) for (libelle, _c), f in zip(groups, figures)]
