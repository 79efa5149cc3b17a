"""Where the server's CPU goes during the load run: the per-request lines written by
``bench/gunicorn_charge.py`` (« method path status seconds of the request's own Python CPU »),
grouped by route (ids → « N »), as a Markdown table, heaviest first."""
from __future__ import annotations

import glob
import os
import re
from collections import defaultdict

_ID = re.compile(r"/\d+(?=/|$)")


def route(method: str, path: str) -> str:
    return f"{method} {_ID.sub('/N', path)}"


def reset(prefix: str) -> None:
    """Forget what was logged so far (sign-ins, warm-up): the workers append to the files
    they keep open, from the start again."""
    for name in glob.glob(f"{glob.escape(prefix)}.*"):
        os.truncate(name, 0)


def read(prefix: str) -> dict[str, list[float]]:
    """{route: CPU seconds of each request} from every worker's file ``prefix.<pid>``."""
    out: dict[str, list[float]] = defaultdict(list)
    for name in sorted(glob.glob(f"{glob.escape(prefix)}.*")):
        with open(name, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 4:
                    out[route(parts[0], parts[1])].append(float(parts[3]))
    return out


def table(cpu: dict[str, list[float]], elapsed: float) -> str:
    total = sum(sum(v) for v in cpu.values())
    if not total:
        return "Temps CPU du serveur : non mesuré (aucune ligne écrite par les processus)."
    lines = [f"Temps CPU Python des processus gunicorn, requête par requête : {total:.0f} s "
             f"en {elapsed:.0f} s, soit {total / elapsed:.2f} cœur occupé en moyenne (hors "
             "PostgreSQL)", "",
             "| route | requêtes | CPU total (s) | part | CPU moyen (ms) | CPU max (ms) |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, values in sorted(cpu.items(), key=lambda kv: -sum(kv[1])):
        spent = sum(values)
        lines.append(f"| `{name}` | {len(values)} | {spent:.1f} | {spent / total:.0%} | "
                     f"{spent / len(values) * 1000:.0f} | {max(values) * 1000:.0f} |")
    return "\n".join(lines)
