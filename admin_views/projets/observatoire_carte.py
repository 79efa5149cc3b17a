"""The observatoire's map: the vendored départements map (``admin_views.carte``) with the
number of public projects per département as a class (``obs-n0`` … ``obs-n4``, colours in
static/css/observatoire.css: no style attribute under the CSP) and a link to the
département's page where there are projects."""
from __future__ import annotations

from markupsafe import Markup, escape

from admin_views.carte import CREDIT, departements

OUTRE_MER = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
             "976": "Mayotte"}
SEUILS = (1, 2, 5, 10)  # a count ≥ SEUILS[i] gets the class obs-n{i + 1}


def noms() -> dict[str, str]:
    """Code → name of every département the observatoire knows (the map's and overseas)."""
    return {**{code: nom for code, nom, _path in departements()}, **OUTRE_MER}


def classe(nombre: int) -> str:
    return f"obs-n{sum(1 for s in SEUILS if nombre >= s)}"


def projets_label(nombre: int) -> str:
    return f"{nombre} projet{'s' if nombre > 1 else ''}"


def carte(comptes: dict[str, int], lien, courant: str | None = None,
          titre: str = "Projets retenus par département") -> Markup:
    """``comptes``: département code → count; ``lien(code)``: the URL of its page."""
    parts = []
    for code, nom, path in departements():
        n = comptes.get(code, 0)
        css = classe(n) + (" obs-courant" if code == courant else "")
        tip = escape(f"{nom} ({code}) : {projets_label(n) if n else 'aucun projet'}")
        forme = f'<path class="{css}" d="{path}"><title>{tip}</title></path>'
        if n:
            forme = f'<a href="{escape(lien(code))}" aria-label="{tip}">{forme}</a>'
        parts.append(forme)
    return Markup(
        f'<figure class="obs-carte"><svg role="img" aria-label="{escape(titre)}" '
        f'viewBox="0 0 613 585" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(titre)}</title>{"".join(parts)}</svg>'
        f'<figcaption>{escape(CREDIT)}</figcaption></figure>')
