"""The PDF of one candidature for the committee's meeting (A4, WeasyPrint), from its own
template ``admin/projets/comite/dossier_pdf.html``.

The rendering (static files only, DejaVu fonts, tagged PDF) and the download are shared
with the other reports: ``tet.rapports.pdf`` and ``tet.rapports.reponse``.
"""
from __future__ import annotations


from flask import render_template

from tet.formats import nombre
from tet.indicateurs.valeurs import format_valeur
from tet.projets import evaluation, score
from tet.rapports.pdf import BASE_URL, RessourceRefusee, statique  # noqa: F401
from tet.rapports import pdf as rapport_pdf
from tet.rapports.reponse import slug, telechargement
from tet.projets.models.choix import (
    CATEGORIES_RISQUE_LABELS,
    STADES_LABELS,
    STATUTS_CANDIDATURE_LABELS,
    ZONES_IMPACT_LABELS,
    couleur_risque,
)


def score_fr(value) -> str:
    """A score as shown: one decimal, French (``62,5``)."""
    return "—" if value is None else nombre(score.arrondi(value), 1)


# the labels and formats the dossier's templates (page and PDF) use
LIBELLES = dict(statuts=STATUTS_CANDIDATURE_LABELS, stades=STADES_LABELS,
                zones=ZONES_IMPACT_LABELS, categories=CATEGORIES_RISQUE_LABELS,
                couleur=couleur_risque, fmt=format_valeur, score_fr=score_fr)


def html(cand, resultat, complet: bool = True) -> str:
    """The HTML the PDF is made of (tests read the text here, not in the PDF)."""
    return render_template(
        "admin/projets/comite/dossier_pdf.html", cand=cand, dossier=cand.dossier,
        appel=cand.appel, resultat=resultat, complet=complet, options_of=evaluation.options_of,
        css=rapport_pdf.css("dossier_pdf.css"),
        **LIBELLES)


def pdf(cand, resultat, complet: bool = True) -> bytes:
    return rapport_pdf.rendre(html(cand, resultat, complet))


def nom_fichier(cand) -> str:
    return f"candidature-{cand.id}-{slug(cand.dossier.titre, defaut='dossier')}.pdf"


def reponse(cand, resultat, complet: bool = True):
    """The PDF as a download (Content-Disposition: attachment); ``resultat``: the score the
    acteur may see (``evaluation.resultat_pour``), the committee's when ``complet``, else
    the member's own."""
    return telechargement(pdf(cand, resultat, complet), nom_fichier(cand)[:-4], "pdf")
