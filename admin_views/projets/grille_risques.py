"""The 4 × 4 risk grid of a dossier (probabilité × gravité), drawn server-side in SVG; the
cell colours are CSS classes (``tet-risque-vert`` … ``-rouge``, static/css/tet.css)."""
from __future__ import annotations

from markupsafe import Markup, escape

from tet.projets.models import couleur_risque
from tet.formats import pluriel

CELL, MARGE = 64, 34
LIBELLES = {"vert": "faible", "jaune": "modérée", "orange": "élevée", "rouge": "critique"}


def grille(risques) -> Markup:
    """Each cell shows how many risks it holds (their names in its tooltip)."""
    cellules: dict[tuple[int, int], list[str]] = {}
    for r in risques:
        cellules.setdefault((r.probabilite, r.gravite), []).append(r.libelle)
    taille = MARGE + 4 * CELL
    parts = []
    for p in range(1, 5):
        y = (4 - p) * CELL
        parts.append(f'<text x="{MARGE - 8}" y="{y + CELL / 2 + 4:.0f}" text-anchor="end" '
                     f'class="tet-risque-axe">{p}</text>')
        for g in range(1, 5):
            x = MARGE + (g - 1) * CELL
            couleur = couleur_risque(p, g)
            noms = cellules.get((p, g), [])
            titre = (f"Probabilité {p} × gravité {g} : criticité {p * g} "
                     f"({LIBELLES[couleur]})")
            if noms:
                titre += " — " + " ; ".join(noms)
            texte = (f'<text x="{x + CELL / 2:.0f}" y="{y + CELL / 2 + 6:.0f}" '
                     f'text-anchor="middle" class="tet-risque-nombre">{len(noms)}</text>'
                     if noms else "")
            parts.append(f'<g><title>{escape(titre)}</title><rect x="{x}" y="{y}" '
                         f'width="{CELL}" height="{CELL}" class="tet-risque-{couleur}"/>'
                         f'{texte}</g>')
    for g in range(1, 5):
        parts.append(f'<text x="{MARGE + (g - 0.5) * CELL:.0f}" y="{4 * CELL + 16}" '
                     f'text-anchor="middle" class="tet-risque-axe">{g}</text>')
    parts.append(f'<text x="{MARGE + 2 * CELL}" y="{4 * CELL + 32}" text-anchor="middle" '
                 f'class="tet-risque-axe">Gravité →</text>')
    parts.append(f'<text x="10" y="{2 * CELL}" text-anchor="middle" class="tet-risque-axe" '
                 f'transform="rotate(-90 10 {2 * CELL})">Probabilité →</text>')
    titre = f"Grille des risques : {pluriel(len(list(risques)), 'risque')}"
    return Markup(
        f'<svg class="tet-risques" role="img" aria-label="{escape(titre)}" '
        f'viewBox="0 0 {taille} {4 * CELL + 40}" width="{taille}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(titre)}</title>'
        f'{"".join(parts)}</svg>')
