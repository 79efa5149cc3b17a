"""HTML → PDF with WeasyPrint, shared by every PDF of the app (dossiers, bilans, fiches,
maturity): the app's static files only (no other URL is fetched), the system's DejaVu fonts
(fonts-dejavu-core, free licence; WeasyPrint embeds the subset it uses), a tagged PDF
(structure for screen readers) whose title, language and author come from the HTML
(``<title>``, ``<html lang="fr">``, ``<meta name="author">``)."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, url_for

BASE_URL = "http://tet.pdf/"
MIME = "application/pdf"


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


def css(filename: str) -> str:
    """The URL of a stylesheet of ``static/css/`` as the PDF's fetcher serves it."""
    return BASE_URL + url_for("static", filename=f"css/{filename}").lstrip("/")


def _fetcher():
    """WeasyPrint's url fetcher that only serves ``statique``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Statique(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime = statique(url)
            return URLFetcherResponse(url, body=body,
                                      headers={"Content-Type": mime or "text/plain"})

    return Statique()


def rendre(html: str) -> bytes:
    """The tagged PDF of ``html`` (its stylesheets through ``css()``)."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf(
        pdf_tags=True)


def gabarit(name: str):
    """A template of ``templates/rapports/`` in the app's Jinja environment plus the French
    formats of ``tet.rapports.format`` (an overlay made once per app)."""
    from tet.rapports.format import FILTRES

    env = current_app.extensions.get("tet_rapports_jinja")
    if env is None:
        env = current_app.jinja_env.overlay()
        env.filters.update(FILTRES)
        current_app.extensions["tet_rapports_jinja"] = env
    return env.get_template(name)


def html(name: str, **context) -> str:
    """The HTML of a report (``css``: rapport.css unless given)."""
    context.setdefault("css", css("rapport.css"))
    return gabarit(name).render(**context)
