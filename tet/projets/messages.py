"""The thread between a candidature's holder and the call's organiser (e.g. to ask for a
missing pièce): each message is e-mailed to the other side and carries its read flags."""
from __future__ import annotations

from sqlalchemy import func, select, update

from tet.colonnes import utcnow
from tet.extensions import db
from tet.projets.commun import avertir_organisateurs, avertir_porteur, exiger, journal
from tet.projets.models import Candidature, Message
from tet.projets.permissions import est_porteur, gere_appel

LONGUEUR_MAX = 10_000


def cote(a, cand: Candidature) -> str | None:
    """"organisateur", "porteur", or None for who may not write on this thread (which
    opens with the first dépôt: before, the organiser does not see the candidature)."""
    if cand.deposee_le is None:
        return None
    if gere_appel(a, cand.appel):
        return "organisateur"
    if est_porteur(a, cand.dossier):
        return "porteur"
    return None


def envoyer(a, cand: Candidature, corps: str) -> Message:
    side = cote(a, cand)
    exiger(cand.deposee_le is not None, "Les échanges avec l'organisateur s'ouvrent au dépôt "
           "du dossier.")
    exiger(side is not None, "Seuls le porteur du dossier et l'organisateur de l'appel "
           "échangent sur cette candidature.")
    corps = (corps or "").strip()
    exiger(corps, "Le message est vide.")
    exiger(len(corps) <= LONGUEUR_MAX, f"Message trop long (au plus {LONGUEUR_MAX} "
           "caractères).")
    now = utcnow()
    organisateur = side == "organisateur"
    with journal(a, f"Message sur la candidature n°{cand.id}"):
        msg = Message(candidature_id=cand.id, auteur_id=a.user.id, corps=corps,
                      de_organisateur=organisateur,
                      lu_par_organisateur_le=now if organisateur else None,
                      lu_par_porteur_le=None if organisateur else now)
        db.session.add(msg)
        db.session.flush()
    extrait = corps if len(corps) <= 400 else corps[:400] + "…"
    sujet = f"Message sur le dossier « {cand.dossier.titre} »"
    if organisateur:
        avertir_porteur(cand, f"L'organisateur de l'appel « {cand.appel.titre} » vous écrit :"
                        f"\n\n{extrait}", sujet)
    else:
        avertir_organisateurs(cand, f"{cand.dossier.organisation.nom} vous écrit :\n\n{extrait}",
                              sujet)
    return msg


def fil(cand: Candidature) -> list[Message]:
    """The thread, oldest first (the caller checked the acteur sees it)."""
    return list(db.session.scalars(select(Message).where(Message.candidature_id == cand.id)
                                   .order_by(Message.created_at, Message.id)))


def marquer_lus(a, cand: Candidature) -> int:
    """Mark the other side's messages read for the acteur's side; how many were unread."""
    side = cote(a, cand)
    if side is None:
        return 0
    col = Message.lu_par_organisateur_le if side == "organisateur" else \
        Message.lu_par_porteur_le
    result = db.session.execute(update(Message).where(
        Message.candidature_id == cand.id, col.is_(None)).values({col: utcnow()}))
    return result.rowcount


def non_lus(cand_ids_query, side: str):
    """Unread counts per candidature for a list page, one GROUP BY (``cand_ids_query``: a
    select of the listed candidature ids)."""
    col = Message.lu_par_organisateur_le if side == "organisateur" else \
        Message.lu_par_porteur_le
    return dict(db.session.execute(
        select(Message.candidature_id, func.count(Message.id))
        .where(Message.candidature_id.in_(cand_ids_query), col.is_(None))
        .group_by(Message.candidature_id)).all())
