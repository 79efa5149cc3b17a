"""Requests between accounts: rattachement to an OPSN, demande d'adhésion, notifications."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn, User
from tet.colonnes import TimestampMixin, utcnow

RATTACHEMENT_STATUTS = [  # « un rattachement » : masculine (« Rattachement accepté »)
    ("demandee", "Demandé"),
    ("acceptee", "Accepté"),
    ("refusee", "Refusé"),
    ("annulee", "Annulé"),
    ("terminee", "Terminé"),
]
RATTACHEMENT_LABELS = dict(RATTACHEMENT_STATUTS)
RATTACHEMENT_ACTIFS = ("demandee", "acceptee")

_ACTIVE_SQL = text("statut IN ('demandee', 'acceptee')")


class Rattachement(TimestampMixin, db.Model):
    """A collectivité's request to be accompanied by one OPSN (state machine in domain.md)."""

    __tablename__ = "rattachement"
    __table_args__ = (
        # One active (demandée or acceptée) rattachement per collectivité, enforced by the base.
        Index(
            "uq_rattachement_actif",
            "collectivite_id",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True
    )
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id", ondelete="CASCADE"), index=True)
    statut: Mapped[str] = mapped_column(String(20), default="demandee", index=True)
    message: Mapped[str | None] = mapped_column(Text)
    demande_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    decide_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    decide_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    motif: Mapped[str | None] = mapped_column(Text)

    collectivite: Mapped[Collectivite] = relationship()
    opsn: Mapped[Opsn] = relationship()
    demande_par: Mapped[User | None] = relationship(foreign_keys=[demande_par_id])
    decide_par: Mapped[User | None] = relationship(foreign_keys=[decide_par_id])

    @property
    def statut_label(self) -> str:
        return RATTACHEMENT_LABELS.get(self.statut, self.statut)

    @property
    def actif(self) -> bool:
        return self.statut in RATTACHEMENT_ACTIFS

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id, "opsn_id": self.opsn_id}

    def __str__(self) -> str:
        return f"Rattachement n°{self.id} ({self.statut_label})"


class DemandeAdhesion(TimestampMixin, db.Model):
    """A user asking the admins of an existing collectivité to be added to it."""

    __tablename__ = "demande_adhesion"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True
    )
    statut: Mapped[str] = mapped_column(String(20), default="demandee", index=True)
    message: Mapped[str | None] = mapped_column(Text)
    decide_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    decide_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    collectivite: Mapped[Collectivite] = relationship()

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return f"Demande d'adhésion n°{self.id}"


class Notification(db.Model):
    """An in-app message for one user (pending requests, decisions)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __str__(self) -> str:
        return self.message


class EchecConnexion(db.Model):
    """A failed login, by e-mail and by address, for throttling."""

    __tablename__ = "echec_connexion"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
