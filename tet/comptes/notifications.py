"""In-app notifications, doubled by e-mail."""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Membership, OpsnMembership, User
from tet.comptes.demandes import Notification
from tet.mail import send_mail


def notify(users: list[User], message: str, url: str | None = None,
           subject: str | None = None) -> None:
    for user in users:
        db.session.add(Notification(user_id=user.id, message=message[:500], url=url))
    emails = [u.email for u in users if u.active]
    if emails and subject:
        send_mail(emails, subject, message + (f"\n\n{url}" if url else ""))


def opsn_members(opsn_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(OpsnMembership).where(OpsnMembership.opsn_id == opsn_id)
    ))


def collectivite_admins(collectivite_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership).where(
            Membership.collectivite_id == collectivite_id, Membership.niveau == "admin",
            Membership.validee,
        )
    ))


def collectivite_writers(collectivite_id: int) -> list[User]:
    """Admins and éditions of a collectivité (those who decide for it)."""
    return list(db.session.scalars(
        select(User).join(Membership).where(
            Membership.collectivite_id == collectivite_id, Membership.validee,
            Membership.niveau.in_(("admin", "edition")))
    ))


def unread_count(user_id: int) -> int:
    from sqlalchemy import func

    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ) or 0
