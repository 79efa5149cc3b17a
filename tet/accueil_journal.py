"""The latest changes of the audit log as a home page shows them: who (a name, « système »
or the command), what (« Modification de la fiche « Titre » : statut, date de fin »), a link.

A small adapter over ``AuditLog``: the readable history (field values as French labels) is
the audit page's; a home page only names what changed. Bounded: it reads the names of the
few people of the entries it is given in one query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import User

# The objects of a collectivité's plans, and how a home page names them (with an article).
OBJETS_DU_PLAN = {"Plan": "le plan", "Axe": "l’axe", "FicheAction": "la fiche",
                  "NoteSuivi": "une note de suivi", "Document": "un document"}
ACTIONS = {"create": "Création de", "update": "Modification de", "delete": "Suppression de",
           "import": "Import d’un classeur :", "export": "Export pour partenaires :"}
LIENS = {"FicheAction": ("fiche.page", "id"), "Plan": ("plan.arbre", "id")}
CHAMPS_MONTRES = 3
MEME_ENREGISTREMENT = 2  # seconds: rows of one save written one after the other


@dataclass
class Entree:
    at: datetime
    qui: str
    action: str  # « Modification de la fiche « Titre » »
    champs: list[str]  # French labels of the fields changed
    url: str | None


def derniers_du_plan(collectivite_id: int, limit: int) -> list[AuditLog]:
    """The collectivité's latest changes of its plans and fiches (on the (collectivite_id,
    at) index)."""
    return list(db.session.scalars(
        select(AuditLog).where(AuditLog.collectivite_id == collectivite_id,
                               AuditLog.object_type.in_(tuple(OBJETS_DU_PLAN)))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)))


def _noms(entries: list[AuditLog]) -> dict[int, str]:
    ids = {e.user_id for e in entries if e.user_id is not None}
    if not ids:
        return {}
    return {u.id: u.nom_complet for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _qui(entry: AuditLog, noms: dict[int, str]) -> str:
    if entry.user_id in noms:
        return noms[entry.user_id]
    if entry.user_email:
        return entry.user_email
    return entry.context.split(":")[0].strip() if entry.context else "système"


def _url(entry: AuditLog) -> str | None:
    lien = LIENS.get(entry.object_type)
    if lien is None or entry.object_id is None or entry.action == "delete":
        return None
    try:
        return url_for(lien[0], **{lien[1]: entry.object_id})
    except BuildError:  # pragma: no cover - a view not registered in this app
        return None


def _action(entry: AuditLog) -> str:
    verbe = ACTIONS.get(entry.action, entry.action_label)
    objet = OBJETS_DU_PLAN.get(entry.object_type)
    if entry.action in ("import", "export"):
        texte = verbe
    elif objet is None:
        texte = f"{verbe} : {entry.object_label.lower()}"
    else:
        texte = (f"{verbe} {objet}".replace("de le ", "du ").replace("de une ", "d’une ")
                 .replace("de un ", "d’un "))
    if entry.object_repr:
        texte += f" « {entry.object_repr} »"
    return texte


def _champs(entry: AuditLog) -> list[str]:
    if entry.action != "update":
        return []
    return [label for label, _o, _n in entry.visible_changes]  # labels: historique_libelles


def _meme_enregistrement(a: AuditLog, b: AuditLog) -> bool:
    """Two rows written by one save (a fiche and its links are flushed apart): the same
    changeset (``lot``) where the log records one, else the same object, author and second."""
    lot_a, lot_b = getattr(a, "lot", None), getattr(b, "lot", None)
    if lot_a and lot_b:
        return lot_a == lot_b and (a.object_type, a.object_id) == (b.object_type, b.object_id)
    return ((a.object_type, a.object_id, a.action, a.user_id, a.context)
            == (b.object_type, b.object_id, b.action, b.user_id, b.context)
            and abs((a.at - b.at).total_seconds()) <= MEME_ENREGISTREMENT)


def entrees(entries: list[AuditLog], limit: int | None = None) -> list[Entree]:
    """The entries as a home page shows them, the rows of one save as one entry, at most
    ``limit`` (one query for the people's names)."""
    noms = _noms(entries)
    groupes: list[tuple[AuditLog, list[str]]] = []
    for e in entries:
        if groupes and _meme_enregistrement(groupes[-1][0], e):
            groupes[-1][1].extend(c for c in _champs(e) if c not in groupes[-1][1])
        else:
            groupes.append((e, _champs(e)))
    result = []
    for e, champs in groupes[:limit]:
        if len(champs) > CHAMPS_MONTRES:
            reste = len(champs) - CHAMPS_MONTRES
            champs = champs[:CHAMPS_MONTRES] + [f"et {reste} autre{'s' if reste > 1 else ''}"]
        result.append(Entree(e.at, _qui(e, noms), _action(e), champs, _url(e)))
    return result
