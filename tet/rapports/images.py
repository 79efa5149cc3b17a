"""Charts as PNG for the Word documents (Word has no SVG fallback everywhere): horizontal
bars drawn with Pillow in the DejaVu font, the same look as the dashboard's SVG bars."""
from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

POLICE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@lru_cache(maxsize=4)
def _police(taille: int):
    try:
        return ImageFont.truetype(POLICE, taille)
    except OSError:  # no DejaVu: Pillow's own font (still readable)
        return ImageFont.load_default(taille)


def barres(items: list[tuple[str, float, str]], largeur: int = 1200, ligne: int = 44,
           libelles: int = 420) -> bytes:
    """PNG of horizontal bars: items are (label, value, colour ``#rrggbb``)."""
    police = _police(22)
    hauteur = ligne * max(len(items), 1) + 16
    image = Image.new("RGB", (largeur, hauteur), "white")
    dessin = ImageDraw.Draw(image)
    haut = max((v for _l, v, _c in items), default=0) or 1
    place = largeur - libelles - 120
    for i, (label, value, colour) in enumerate(items):
        y = 8 + i * ligne
        texte = label if len(label) <= 32 else label[:31] + "…"
        dessin.text((libelles - 12, y + ligne / 2), texte, fill="#222", font=police, anchor="rm")
        w = round(place * value / haut) if value else 0
        if w:
            dessin.rounded_rectangle((libelles, y + 8, libelles + w, y + ligne - 8), 4,
                                     fill=colour)
        shown = f"{value:g}".replace(".", ",")
        dessin.text((libelles + w + 10, y + ligne / 2), shown, fill="#222", font=police,
                    anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
