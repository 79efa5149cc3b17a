"""The bilan of a plan and its fiches as PDF (WeasyPrint through ``tet.rapports.pdf``):
HTML from ``templates/rapports/``, the charts given as SVG by the caller (the dashboard's
own, ``admin_views/charts.py``)."""
from __future__ import annotations

from datetime import date

from tet.indicateurs.valeurs import format_valeur
from tet.plans.models import PLAN_TYPES, PRIORITES, STATUTS
from tet.plans.rapports.donnees import Bilan
from tet.plans.rapports import textes
from tet.rapports import pdf

LIBELLES = dict(statuts=dict(STATUTS), priorites=dict(PRIORITES), fmt=format_valeur, tx=textes)


def html_bilan(b: Bilan, graphiques: dict) -> str:
    titre = f"Bilan — {b.plan.nom}"
    return pdf.html(
        "rapports/bilan_plan.html", b=b, graphiques=graphiques, titre=titre,
        auteur=b.collectivite, description=f"Bilan du plan d’action « {b.plan.nom} » de "
        f"{b.collectivite} au {b.le:%d/%m/%Y}", le=b.le, today=b.le, filtres=b.filtres(),
        type_plan=dict(PLAN_TYPES).get(b.plan.type, "Autre"),
        realisees=dict((code, n) for code, _l, n in b.chiffres.par_statut).get("realise", 0),
        **LIBELLES)


def bilan(b: Bilan, graphiques: dict) -> bytes:
    return pdf.rendre(html_bilan(b, graphiques))


def html_fiches(details: list, collectivite: str, titre: str, chemins=None,
                today: date | None = None) -> str:
    """One fiche (``chemins``: its places) or a batch, each fiche from a new page."""
    today = today or date.today()
    return pdf.html("rapports/fiches.html", details=details, collectivite=collectivite,
                    titre=titre, auteur=collectivite, le=today, today=today, chemins=chemins,
                    description=titre, **LIBELLES)


def fiches(details: list, collectivite: str, titre: str, chemins=None) -> bytes:
    return pdf.rendre(html_fiches(details, collectivite, titre, chemins))
