"""The national support's queue: first admins of a collectivité wait for its decision.

A request is a membership in state ``en_attente`` (from ``tet.comptes.inscription``);
until accepted it gives nothing (``tet.comptes.permissions`` reads validated memberships only).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tet.extensions import db
from tet.comptes.models import Membership, User
from tet.comptes.models import EN_ATTENTE, VALIDEE
from tet import liens_publics as links
from tet.comptes.services import AccountError
from tet.mail import send_mail


def _pending():
    return select(Membership).where(Membership.statut == EN_ATTENTE)


def pending_count_query():
    return select(func.count()).select_from(_pending().subquery())


def pending_count() -> int:
    return db.session.scalar(pending_count_query()) or 0


def pending(limit: int = 200) -> list[Membership]:
    """Oldest first, with the requester and the collectivité (one query)."""
    return list(db.session.scalars(
        _pending().options(joinedload(Membership.user), joinedload(Membership.collectivite))
        .order_by(Membership.created_at, Membership.id).limit(limit)))


def pending_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        _pending().where(Membership.user_id == user.id)
        .options(joinedload(Membership.collectivite))))


def get_pending(membership_id: int) -> Membership | None:
    return db.session.scalar(_pending().where(Membership.id == membership_id))


def accept(membership: Membership) -> None:
    """The requester becomes admin of the collectivité, which is validated."""
    coll = membership.collectivite
    membership.statut = VALIDEE
    coll.statut = VALIDEE
    send_mail(membership.user.email, f"Compte de {coll.nom} validé",
              f"Bonjour,\n\nLe support national a validé le compte de {coll.nom} sur TeT "
              "back-office : vous en êtes administrateur.\n\n"
              f"Connectez-vous : {links.public_url('auth.login')}")
    db.session.commit()


def refuse(membership: Membership, motif: str) -> None:
    """Refused with a reason e-mailed to the requester; a collectivité created by the
    request goes too, unless someone else is waiting for it."""
    motif = (motif or "").strip()
    if not motif:
        raise AccountError("Indiquez le motif du refus : il est envoyé au demandeur.")
    coll, email = membership.collectivite, membership.user.email
    db.session.delete(membership)
    db.session.flush()
    if coll.statut == EN_ATTENTE and not db.session.scalar(
            select(Membership.id).where(Membership.collectivite_id == coll.id).limit(1)):
        db.session.delete(coll)
    send_mail(email, f"Demande de compte pour {coll.nom} refusée",
              f"Bonjour,\n\nLe support national n'a pas validé votre demande de compte pour "
              f"{coll.nom} sur TeT back-office.\n\nMotif : {motif[:1000]}")
    db.session.commit()

