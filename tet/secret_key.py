"""How guessable a ``SECRET_KEY`` looks: length, variety, repetition, entropy."""
from __future__ import annotations

import math
from collections import Counter

MIN_LENGTH = 32
MIN_DISTINCT = 10
MIN_BITS = 80  # Shannon estimate of the whole key (a random 32-hex key: ~96 or more)


def _shannon_bits(key: str) -> float:
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def _is_periodic(key: str) -> bool:
    """``abcabcabc…``: the key is a shorter block repeated."""
    return key in (key + key)[1:-1]


def _mostly_sequential(key: str) -> bool:
    """``abcdef…`` / ``0123…``: most neighbours are consecutive characters."""
    steps = sum(1 for a, b in zip(key, key[1:]) if abs(ord(b) - ord(a)) <= 1)
    return steps > len(key) // 2


def weakness(key: str) -> str | None:
    """Why ``key`` is too weak for production (French), or None."""
    if len(key) < MIN_LENGTH:
        return f"moins de {MIN_LENGTH} caractères"
    if len(set(key)) < MIN_DISTINCT:
        return f"moins de {MIN_DISTINCT} caractères différents"
    if _is_periodic(key) or _mostly_sequential(key):
        return "motif répété ou suite de caractères"
    if _shannon_bits(key) < MIN_BITS:
        return "trop peu aléatoire"
    return None
