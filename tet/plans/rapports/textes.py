"""The words of a fiche in the Word and PowerPoint bilans (the PDF has them in its
template, ``templates/rapports/_fiche.html``): the same phrasing everywhere."""
from __future__ import annotations

from tet.indicateurs.valeurs import format_valeur
from tet.plans.models import PRIORITES, STATUTS
from tet.rapports.format import date_courte, montant

STATUT = dict(STATUTS)
PRIORITE = dict(PRIORITES)


def entete(d, today) -> str:
    f = d.fiche
    parts = [STATUT.get(f.statut, f.statut)]
    if f.priorite:
        parts.append(f"priorité {PRIORITE.get(f.priorite, f.priorite).lower()}")
    if d.en_retard(today):
        parts.append("en retard")
    if f.confidentiel:
        parts.append("confidentielle")
    return " · ".join(parts)


def dates(f) -> str:
    if f.date_debut and f.date_fin:
        text = f"du {date_courte(f.date_debut)} au {date_courte(f.date_fin)}"
    elif f.date_debut:
        text = f"à partir du {date_courte(f.date_debut)}"
    elif f.date_fin:
        text = f"jusqu’au {date_courte(f.date_fin)}"
    else:
        return ""
    return text + (" (action en amélioration continue)" if f.amelioration_continue else "")


def budget(d) -> str:
    parts = []
    if "prevu" in d.budget:
        parts.append(f"prévu {montant(d.budget['prevu'])}")
    if "reel" in d.budget:
        parts.append(f"réalisé {montant(d.budget['reel'])}")
    return ", ".join(parts)


def indicateur(i) -> str:
    values = [f"{label} {i.derniers[t][0]} : {format_valeur(i.derniers[t][1], i.unite)}"
              for t, label in (("resultat", "résultat"), ("objectif", "objectif"))
              if t in i.derniers]
    return f"{i.nom} : {' ; '.join(values) or 'aucune valeur saisie'}"


def tronque(text: str, size: int = 500) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
