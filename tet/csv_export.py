"""CSV exports: every cell a spreadsheet could take for a formula is neutralised (OWASP
« CSV injection »), and the file is complete before the first byte is sent."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from tet.xlsx import spool

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value) -> str:
    """The cell as text; text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def stream(headers: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Write the whole CSV (UTF-8) to a temporary file, then stream it."""
    def build(path: str) -> None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([neutralise(h) for h in headers])
            for row in rows:
                writer.writerow([neutralise(v) for v in row])

    return spool(build, ".csv")
