"""What happens on a candidature: the thread of messages, the committee's evaluations and
votes, its decision."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    select,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.colonnes import TimestampMixin, VersionMixin, utcnow
from tet.comptes.models import User
from tet.extensions import db
from tet.projets.models.appels import _appel_scope
from tet.projets.models.choix import CHOIX_VOTE, RESULTATS, _in
from tet.projets.models.dossiers import Candidature


class _SousCandidature:
    def audit_scope(self) -> dict:
        return _appel_scope(db.session.execute(select(Candidature.appel_id).where(
            Candidature.id == self.candidature_id)).scalar_one_or_none())


class Message(_SousCandidature, TimestampMixin, db.Model):
    """A message of the thread between the holder and the organiser on a candidature."""

    __tablename__ = "candidature_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(
        ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    auteur_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    de_organisateur: Mapped[bool] = mapped_column(Boolean, default=False)
    corps: Mapped[str] = mapped_column(Text)
    lu_par_porteur_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lu_par_organisateur_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    auteur: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Message n°{self.id}"


class _NoteSecrete:
    """Journal entries of notes and votes are the support's alone: the organiser's journal
    must not show them before the committee meets (``tet.projets.permissions``)."""

    def audit_scope(self) -> dict:
        return {}


class Evaluation(_NoteSecrete, VersionMixin, TimestampMixin, db.Model):
    """One member's note on one criterion of one candidature, with its justification."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("candidature_id", "membre_id", "critere_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(
        ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    membre_id: Mapped[int] = mapped_column(ForeignKey("comite_membre.id", ondelete="CASCADE"),
                                           index=True)
    critere_id: Mapped[int] = mapped_column(ForeignKey("appel_critere.id", ondelete="CASCADE"),
                                            index=True)
    note: Mapped[int] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                        onupdate=utcnow)

    def __str__(self) -> str:
        return f"Évaluation n°{self.id}"


class Vote(_NoteSecrete, TimestampMixin, db.Model):
    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("candidature_id", "membre_id"),
                      CheckConstraint(_in("choix", CHOIX_VOTE), name="choix"))

    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(
        ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    membre_id: Mapped[int] = mapped_column(ForeignKey("comite_membre.id", ondelete="CASCADE"),
                                           index=True)
    choix: Mapped[str] = mapped_column(String(10))

    def __str__(self) -> str:
        return f"Vote n°{self.id}"


class Decision(_SousCandidature, TimestampMixin, db.Model):
    """The committee's decision on a candidature (co-décision), with the vote's counts."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint(_in("resultat", RESULTATS), name="resultat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(
        ForeignKey("candidature.id", ondelete="CASCADE"), unique=True)
    resultat: Mapped[str] = mapped_column(String(10))
    motivation: Mapped[str] = mapped_column(Text)
    quorum_atteint: Mapped[bool] = mapped_column(Boolean)
    membres: Mapped[int] = mapped_column(Integer)
    pour: Mapped[int] = mapped_column(Integer)
    contre: Mapped[int] = mapped_column(Integer)
    abstention: Mapped[int] = mapped_column(Integer)
    decidee_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decidee_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    def __str__(self) -> str:
        return f"Décision n°{self.id}"
