"""Calls for projects: the call, its axes, étapes, required pièces, evaluation matrices
and criteria, and its committee."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    false,
    ForeignKey,
    Integer,
    select,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.colonnes import TimestampMixin, VersionMixin
from tet.comptes.models import Collectivite, User
from tet.extensions import db
from tet.tri import tri_fr
from tet.projets.models.choix import (
    ETAPES,
    ETAPES_LABELS,
    OPTIONS_NOTES,
    ORIGINES_COMITE,
    STATUTS_APPEL,
    _in,
)


appel_territoire = Table(
    "appel_territoire",
    db.metadata,
    Column("appel_id", ForeignKey("appel.id", ondelete="CASCADE"), primary_key=True),
    Column("collectivite_id", ForeignKey("collectivite.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class AppelAProjets(VersionMixin, TimestampMixin, db.Model):
    """A call run by a collectivité (``collectivite_id``) or, when None, the national
    support. ``seance_ouverte``: the committee meets, members see each other's notes."""

    __tablename__ = "appel"
    __table_args__ = (CheckConstraint(_in("statut", STATUTS_APPEL), name="statut"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    titre: Mapped[str] = mapped_column(String(300), index=True)
    annee: Mapped[int] = mapped_column(Integer, index=True)
    statut: Mapped[str] = mapped_column(String(10), default="brouillon",
                                        server_default="brouillon", index=True)
    objectifs: Mapped[str | None] = mapped_column(Text)
    regles_eligibilite: Mapped[str | None] = mapped_column(Text)
    options_notes: Mapped[list] = mapped_column(JSON, default=lambda: list(OPTIONS_NOTES))
    seance_ouverte: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=false())
    seance_ouverte_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("appel.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    collectivite: Mapped[Collectivite | None] = relationship()
    territoire: Mapped[list[Collectivite]] = relationship(secondary=appel_territoire,
                                                          order_by=tri_fr(Collectivite.nom))
    axes: Mapped[list[AxeAppel]] = relationship(
        back_populates="appel", cascade="all, delete-orphan", order_by="AxeAppel.position")
    etapes: Mapped[list[Etape]] = relationship(
        back_populates="appel", cascade="all, delete-orphan", order_by="Etape.date_debut")
    pieces: Mapped[list[PieceRequise]] = relationship(
        back_populates="appel", cascade="all, delete-orphan", order_by="PieceRequise.position")
    matrices: Mapped[list[Matrice]] = relationship(
        back_populates="appel", cascade="all, delete-orphan", order_by="Matrice.position")
    comite: Mapped[list[MembreComite]] = relationship(
        back_populates="appel", cascade="all, delete-orphan", order_by="MembreComite.id")

    @property
    def national(self) -> bool:
        return self.collectivite_id is None

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return self.titre


def _appel_scope(appel_id: int | None) -> dict:
    """Audit scope of a row under a call: the organiser (plain query, safe in a flush)."""
    if appel_id is None:
        return {}
    return {"collectivite_id": db.session.execute(select(AppelAProjets.collectivite_id).where(
        AppelAProjets.id == appel_id)).scalar_one_or_none()}


class _SousAppel:
    def audit_scope(self) -> dict:
        return _appel_scope(self.appel_id)


class AxeAppel(_SousAppel, VersionMixin, db.Model):
    """An axe of a call with its share (``part``, %) of the global score."""

    __tablename__ = "appel_axe"
    __table_args__ = (CheckConstraint("part BETWEEN 0 AND 100", name="part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    nom: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    part: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    appel: Mapped[AppelAProjets] = relationship(back_populates="axes")

    def __str__(self) -> str:
        return self.nom


class Etape(_SousAppel, VersionMixin, db.Model):
    __tablename__ = "appel_etape"
    __table_args__ = (UniqueConstraint("appel_id", "kind"),
                      CheckConstraint(_in("kind", ETAPES), name="kind"),
                      CheckConstraint("date_fin IS NULL OR date_debut IS NULL "
                                      "OR date_fin >= date_debut", name="dates"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date_debut: Mapped[date | None] = mapped_column(Date)
    date_fin: Mapped[date | None] = mapped_column(Date)

    appel: Mapped[AppelAProjets] = relationship(back_populates="etapes")

    def __str__(self) -> str:
        return ETAPES_LABELS.get(self.kind, self.kind)


class PieceRequise(_SousAppel, VersionMixin, db.Model):
    __tablename__ = "appel_piece"

    id: Mapped[int] = mapped_column(primary_key=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    libelle: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    obligatoire: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    appel: Mapped[AppelAProjets] = relationship(back_populates="pieces")

    def __str__(self) -> str:
        return self.libelle


class Matrice(_SousAppel, VersionMixin, db.Model):
    """An evaluation matrix (e.g. Opportunité) weighing ``poids`` in the global score;
    ``options`` overrides the call's scoring options when set."""

    __tablename__ = "appel_matrice"
    __table_args__ = (CheckConstraint("poids BETWEEN 0 AND 100", name="poids"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    nom: Mapped[str] = mapped_column(String(200))
    poids: Mapped[int] = mapped_column(Integer, default=50)
    options: Mapped[list | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)

    appel: Mapped[AppelAProjets] = relationship(back_populates="matrices")
    criteres: Mapped[list[Critere]] = relationship(
        back_populates="matrice", cascade="all, delete-orphan", order_by="Critere.position")

    def __str__(self) -> str:
        return self.nom


class Critere(VersionMixin, db.Model):
    __tablename__ = "appel_critere"
    __table_args__ = (CheckConstraint("poids BETWEEN 0 AND 100", name="poids"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matrice_id: Mapped[int] = mapped_column(ForeignKey("appel_matrice.id", ondelete="CASCADE"),
                                            index=True)
    axe_id: Mapped[int | None] = mapped_column(ForeignKey("appel_axe.id", ondelete="SET NULL"),
                                               index=True)
    libelle: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    poids: Mapped[int] = mapped_column(Integer, default=25)
    position: Mapped[int] = mapped_column(Integer, default=0)

    matrice: Mapped[Matrice] = relationship(back_populates="criteres")
    axe: Mapped[AxeAppel | None] = relationship()

    def audit_scope(self) -> dict:
        return _appel_scope(db.session.execute(select(Matrice.appel_id).where(
            Matrice.id == self.matrice_id)).scalar_one_or_none())

    def __str__(self) -> str:
        return self.libelle


class MembreComite(_SousAppel, TimestampMixin, db.Model):
    """A member of a call's committee: an account, or an e-mail invited (signed token,
    ``tet.projets.comite``) until the invitation is accepted."""

    __tablename__ = "comite_membre"
    __table_args__ = (UniqueConstraint("user_id", "appel_id"),
                      UniqueConstraint("email", "appel_id"),
                      CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL",
                                      name="qui"),
                      CheckConstraint(_in("origine", ORIGINES_COMITE), name="origine"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    origine: Mapped[str] = mapped_column(String(20), default="organisateur")
    collectivite_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectivite.id", ondelete="SET NULL"), index=True)
    invite_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepte_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    appel: Mapped[AppelAProjets] = relationship(back_populates="comite")
    user: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Membre du comité n°{self.id}"
