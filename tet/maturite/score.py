"""The maturity index (domain.md, "Maturity index") as one pure function.

Index = floor(100 × Σ points of the chosen answers / Σ over the questions in scope of each
question's best possible points). In scope: niveau 1 questions, plus niveau 2 ones (and the
"Pour aller plus loin" category) once niveau 2 is active; a child question only when its
parent has the triggering answer. Official once every question in scope is answered.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_THRESHOLDS = (("A", 99), ("B", 80), ("C", 60), ("D", 40))
FALLBACK_LETTER = "E"


@dataclass(frozen=True)
class Q:
    """What scoring needs to know of a question."""

    code: str
    niveau: int
    categorie: str
    points: dict[str, int] = field(default_factory=dict)  # option code → points
    parent: str | None = None
    parent_reponse: str | None = None

    @property
    def best(self) -> int:
        return max(self.points.values(), default=0)


@dataclass
class Part:
    points: int = 0
    best: int = 0
    answered: int = 0
    in_scope: int = 0

    @property
    def indice(self) -> int | None:
        return (100 * self.points) // self.best if self.best else None

    @property
    def progression(self) -> int:
        return (100 * self.answered) // self.in_scope if self.in_scope else 100

    @property
    def officiel(self) -> bool:
        return self.in_scope > 0 and self.answered == self.in_scope


@dataclass
class Score:
    total: Part
    categories: dict[str, Part]
    letter: str | None

    @property
    def indice(self) -> int | None:
        return self.total.indice

    @property
    def progression(self) -> int:
        return self.total.progression

    @property
    def officiel(self) -> bool:
        return self.total.officiel


def letter_for(indice: int | None, thresholds=DEFAULT_THRESHOLDS) -> str | None:
    if indice is None:
        return None
    for letter, minimum in thresholds:
        if indice >= minimum:
            return letter
    return FALLBACK_LETTER


def in_scope(question: Q, answers: dict[str, str | None], niveau2: bool) -> bool:
    if question.niveau == 2 and not niveau2:
        return False
    if question.parent is not None:
        return answers.get(question.parent) == question.parent_reponse
    return True


def counted(question: Q, by_code: dict[str, Q], answers: dict[str, str | None],
            niveau2: bool) -> bool:
    """In the index: in scope, and so is its parent (``by_code``: the version's questions)."""
    if not in_scope(question, answers, niveau2):
        return False
    parent = by_code.get(question.parent) if question.parent else None
    return parent is None or in_scope(parent, answers, niveau2)


def score(questions: list[Q], answers: dict[str, str | None], niveau2: bool,
          thresholds=DEFAULT_THRESHOLDS) -> Score:
    """``answers``: question code → chosen option code (an answered text or number question
    maps to any non-None marker); absent or None means not answered."""
    total = Part()
    parts: dict[str, Part] = {}
    by_code = {q.code: q for q in questions}
    for q in questions:
        if not counted(q, by_code, answers, niveau2):
            continue
        part = parts.setdefault(q.categorie, Part())
        chosen = answers.get(q.code)
        gained = q.points.get(chosen, 0) if chosen is not None else 0
        for p in (total, part):
            p.in_scope += 1
            p.best += q.best
            if chosen is not None:
                p.answered += 1
                p.points += gained
    return Score(total, parts, letter_for(total.indice, thresholds))
