"""The PDF of one candidature for the committee's meeting (A4, WeasyPrint), from its own
template ``admin/projets/comite/dossier_pdf.html``.

Nothing is fetched from outside: the url fetcher serves the app's static files only (the
stylesheet) and refuses every other URL; the fonts are the system's DejaVu.
"""
from __future__ import annotations

import mimetypes
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template, url_for

from tet.indicateurs.valeurs import format_valeur
from tet.projets import evaluation, score
from tet.projets.models.choix import (
    CATEGORIES_RISQUE_LABELS,
    STADES_LABELS,
    STATUTS_CANDIDATURE_LABELS,
    ZONES_IMPACT_LABELS,
    couleur_risque,
)

BASE_URL = "http://tet.pdf/"
# the labels the dossier's templates (page and PDF) use
def score_fr(value) -> str:
    """A score as shown: one decimal, French (``62,5``)."""
    return "—" if value is None else format_valeur(Decimal(str(score.arrondi(value))))


# the labels and formats the dossier's templates (page and PDF) use
LIBELLES = dict(statuts=STATUTS_CANDIDATURE_LABELS, stades=STADES_LABELS,
                zones=ZONES_IMPACT_LABELS, categories=CATEGORIES_RISQUE_LABELS,
                couleur=couleur_risque, fmt=format_valeur, score_fr=score_fr)


class RessourceRefusee(ValueError):
    """A URL the PDF may not fetch."""


def statique(url: str) -> tuple[bytes, str | None]:
    """The bytes and type of ``BASE_URL/static/…`` from the app's static folder; anything
    else is refused (``RessourceRefusee``)."""
    parts = urlsplit(url)
    static = Path(current_app.static_folder).resolve()
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith("/static/"):
        raise RessourceRefusee(f"Ressource externe refusée : {url}")
    path = (static / unquote(parts.path[len("/static/"):])).resolve()
    if static not in path.parents or not path.is_file():
        raise RessourceRefusee(f"Ressource introuvable : {url}")
    return path.read_bytes(), mimetypes.guess_type(path.name)[0]


def _fetcher():
    """WeasyPrint's url fetcher that only serves ``statique``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Statique(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime = statique(url)
            return URLFetcherResponse(url, body=body,
                                      headers={"Content-Type": mime or "text/plain"})

    return Statique()


def html(cand, resultat, complet: bool = True) -> str:
    """The HTML the PDF is made of (tests read the text here, not in the PDF)."""
    return render_template(
        "admin/projets/comite/dossier_pdf.html", cand=cand, dossier=cand.dossier,
        appel=cand.appel, resultat=resultat, complet=complet, options_of=evaluation.options_of,
        css=BASE_URL + url_for("static", filename="css/dossier_pdf.css").lstrip("/"),
        **LIBELLES)


def pdf(cand, resultat, complet: bool = True) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html(cand, resultat, complet), base_url=BASE_URL,
                           url_fetcher=_fetcher()).write_pdf()


def nom_fichier(cand) -> str:
    ascii_ = unicodedata.normalize("NFKD", cand.dossier.titre).encode("ascii", "ignore")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_.decode()).strip("-").lower()[:60] or "dossier"
    return f"candidature-{cand.id}-{slug}.pdf"


def reponse(cand, resultat, complet: bool = True):
    """The PDF as a download (Content-Disposition: attachment); ``resultat``: the score the
    acteur may see (``evaluation.resultat_pour``), the committee's when ``complet``, else
    the member's own."""
    from flask import Response

    return Response(pdf(cand, resultat, complet), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{nom_fichier(cand)}"',
        "Cache-Control": "private, no-store"})
