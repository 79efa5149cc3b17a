"""Repeated timings of the benchmark: median and p95, slow rows not repeated."""
from __future__ import annotations

import statistics
import time

SLOW = 60.0  # seconds: a row whose first request is slower is not repeated


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - began)
        if times[0] > SLOW:
            break
    return times, out


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
