"""The score of a candidature from its committee's notes (pure: no database).

Each member gives each criterion one of the matrix's scoring options (e.g. 1 / 3 / 5).

1. A note is normalised to 0–100 over the options' range:
   ``norm(n) = 100 × (n − min options) / (max options − min options)`` (1 / 3 / 5 → 0 / 50 / 100).
2. Member m's score on matrix M is the mean of its normalised notes weighted by the
   criteria's weights p_c (only the criteria m scored):
   ``S(m, M) = Σ p_c × norm(n_mc) / Σ p_c``.
3. The matrix score is the mean over the members who scored it: ``S(M) = mean_m S(m, M)``.
4. The global score weighs the matrices by their weight P_M (only the scored ones):
   ``G = Σ P_M × S(M) / Σ P_M``.
5. The score of an axe weighs each criterion linked to it by ``P_M × p_c`` and takes the
   members' mean normalised note on it: ``A(a) = Σ P_M p_c × mean_m norm(n_mc) / Σ P_M p_c``;
   the axes' view of the global score weighs them by their share ``part_a`` of the call:
   ``G_axes = Σ part_a × A(a) / Σ part_a`` (over the scored axes; shown beside G, the
   ranking uses G).
6. Spread between evaluators, on each member's own global ``G(m) = Σ P_M S(m, M) / Σ P_M``:
   ``écart = max G(m) − min G(m)`` and the population standard deviation ``σ``; a spread of
   at least ``ECART_FORT`` points is flagged. With at least ``MIN_EVALUATEURS_ATYPIQUE``
   evaluators, a member is *atypique* when its ``G(m)`` is more than ``SEUIL_ATYPIQUE``
   points away from the mean of the other members' (one harsh or lenient evaluator is then
   visible; with two evaluators only the spread says they disagree).

Scores are floats rounded to one decimal for display (``arrondi``), never before.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import sqrt
from statistics import fmean

ECART_FORT = 40.0
SEUIL_ATYPIQUE = 25.0
MIN_EVALUATEURS_ATYPIQUE = 3


@dataclass(frozen=True)
class CritereDef:
    id: int
    poids: float
    axe_id: int | None = None


@dataclass(frozen=True)
class MatriceDef:
    id: int
    poids: float
    options: tuple[int, ...]
    criteres: tuple[CritereDef, ...]


@dataclass
class Resultat:
    global_: float | None
    matrices: dict[int, float] = field(default_factory=dict)
    axes: dict[int, float] = field(default_factory=dict)
    global_axes: float | None = None
    par_membre: dict[int, float] = field(default_factory=dict)  # G(m)
    ecart: float | None = None
    ecart_type: float | None = None
    ecart_fort: bool = False
    atypiques: set[int] = field(default_factory=set)


def normaliser(note: float, options) -> float:
    lo, hi = min(options), max(options)
    if hi == lo:
        raise ValueError("Les options de notation doivent comporter au moins deux valeurs.")
    return 100.0 * (note - lo) / (hi - lo)


def _pondere(pairs) -> float | None:
    """Σ w × x / Σ w over (w, x) pairs with a positive total weight."""
    total = sum(w for w, _ in pairs)
    return sum(w * x for w, x in pairs) / total if total > 0 else None


def calculer(matrices: list[MatriceDef], notes: dict[tuple[int, int], float],
             parts_axes: dict[int, float] | None = None) -> Resultat:
    """``notes``: (membre_id, critere_id) → note (unknown criteria are ignored);
    ``parts_axes``: axe id → its share of the call (for ``global_axes``)."""
    membres = sorted({m for m, _ in notes})
    s_mM: dict[int, dict[int, float]] = {m: {} for m in membres}
    s_M: dict[int, float] = {}
    axe_pairs: dict[int, list] = {}
    for mat in matrices:
        for m in membres:
            score = _pondere([(c.poids, normaliser(notes[m, c.id], mat.options))
                              for c in mat.criteres if (m, c.id) in notes])
            if score is not None:
                s_mM[m][mat.id] = score
        scored = [s_mM[m][mat.id] for m in membres if mat.id in s_mM[m]]
        if scored:
            s_M[mat.id] = fmean(scored)
        for c in mat.criteres:
            given = [normaliser(notes[m, c.id], mat.options) for m in membres
                     if (m, c.id) in notes]
            if c.axe_id is not None and given:
                axe_pairs.setdefault(c.axe_id, []).append((mat.poids * c.poids, fmean(given)))
    poids = {mat.id: mat.poids for mat in matrices}
    res = Resultat(global_=_pondere([(poids[i], s) for i, s in s_M.items()]), matrices=s_M)
    res.axes = {a: v for a, pairs in axe_pairs.items() if (v := _pondere(pairs)) is not None}
    if parts_axes:
        res.global_axes = _pondere([(parts_axes.get(a, 0), v) for a, v in res.axes.items()])
    for m in membres:
        g = _pondere([(poids[i], s) for i, s in s_mM[m].items()])
        if g is not None:
            res.par_membre[m] = g
    _dispersion(res)
    return res


def _dispersion(res: Resultat) -> None:
    values = list(res.par_membre.values())
    if not values:
        return
    res.ecart = max(values) - min(values)
    mean = fmean(values)
    res.ecart_type = sqrt(fmean([(v - mean) ** 2 for v in values]))
    res.ecart_fort = res.ecart >= ECART_FORT
    if len(values) >= MIN_EVALUATEURS_ATYPIQUE:
        for m, g in res.par_membre.items():
            others = [v for k, v in res.par_membre.items() if k != m]
            if abs(g - fmean(others)) > SEUIL_ATYPIQUE:
                res.atypiques.add(m)


def arrondi(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 1)
