"""Organisations porteuses, their dossiers (one per project) and candidatures (a dossier's
answer to one call)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    false,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.colonnes import TimestampMixin, VersionMixin
from tet.comptes.models import User
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.projets.models.appels import AppelAProjets, AxeAppel, PieceRequise, _appel_scope
from tet.projets.models.choix import (
    CATEGORIES_RISQUE,
    STADES,
    STADES_LABELS,
    STATUTS_CANDIDATURE,
    ZONES_IMPACT,
    _in,
    couleur_risque,
)


# --- organisations porteuses -------------------------------------------------------------
class Organisation(VersionMixin, TimestampMixin, db.Model):
    """A project holder: association, entreprise, commune or other public body."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    adresse: Mapped[str | None] = mapped_column(Text)
    code_postal: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(150))
    departement: Mapped[str | None] = mapped_column(String(3), index=True)
    email_contact: Mapped[str | None] = mapped_column(String(254))

    membres: Mapped[list[OrganisationMembre]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan")

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.nom


class OrganisationMembre(TimestampMixin, db.Model):
    __tablename__ = "organisation_membre"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="membre")

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship(back_populates="membres")

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return f"Membre d'organisation n°{self.id}"



# --- dossiers et candidatures -----------------------------------------------------------
class Dossier(VersionMixin, TimestampMixin, db.Model):
    """One dossier per project, owned by an organisation, reused from call to call."""

    __tablename__ = "dossier"
    __table_args__ = (CheckConstraint(_in("stade", STADES), name="stade"),
                      CheckConstraint(_in("zone_impact", ZONES_IMPACT), name="zone_impact"),
                      CheckConstraint("budget_total IS NULL OR budget_total >= 0",
                                      name="budget"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    porteur_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    referent_nom: Mapped[str | None] = mapped_column(String(200))
    referent_email: Mapped[str | None] = mapped_column(String(254))
    referent_telephone: Mapped[str | None] = mapped_column(String(30))
    titre: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    objectifs: Mapped[str | None] = mapped_column(Text)
    beneficiaires: Mapped[str | None] = mapped_column(Text)
    partenaires: Mapped[str | None] = mapped_column(Text)
    zone_impact: Mapped[str] = mapped_column(String(20), default="local", index=True)
    stade: Mapped[str] = mapped_column(String(20), default="idee", index=True)
    departement: Mapped[str | None] = mapped_column(String(3), index=True)
    budget_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    confidentiel: Mapped[bool] = mapped_column(Boolean, default=False,
                                               server_default=false(), index=True)
    champs_publics: Mapped[list] = mapped_column(JSON, default=list)

    organisation: Mapped[Organisation] = relationship()
    porteur: Mapped[User | None] = relationship()
    jalons: Mapped[list[Jalon]] = relationship(back_populates="dossier",
                                               cascade="all, delete-orphan")
    financements: Mapped[list[Financement]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Financement.id")
    risques: Mapped[list[Risque]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Risque.id")
    pieces: Mapped[list[PieceJustificative]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan",
        order_by="PieceJustificative.id")

    def public(self, champ: str) -> bool:
        return not self.confidentiel and champ in (self.champs_publics or [])

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.titre


class Jalon(db.Model):
    """The planned (and reached) date of one maturity stage of a dossier."""

    __tablename__ = "dossier_jalon"
    __table_args__ = (UniqueConstraint("dossier_id", "stade"),
                      CheckConstraint(_in("stade", STADES), name="stade"))

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    stade: Mapped[str] = mapped_column(String(20))
    date_prevue: Mapped[date | None] = mapped_column(Date)
    date_atteinte: Mapped[date | None] = mapped_column(Date)

    dossier: Mapped[Dossier] = relationship(back_populates="jalons")

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return STADES_LABELS.get(self.stade, self.stade)


class Financement(db.Model):
    """A line of the financing plan: a co-financer and its amount."""

    __tablename__ = "dossier_financement"
    __table_args__ = (CheckConstraint("montant >= 0", name="montant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    cofinanceur: Mapped[str] = mapped_column(String(200))
    montant: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    acquis: Mapped[bool] = mapped_column(Boolean, default=False)

    dossier: Mapped[Dossier] = relationship(back_populates="financements")

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.cofinanceur


class PieceJustificative(TimestampMixin, db.Model):
    """An uploaded file of a dossier (checked by ``tet.plans.documents``), answering a
    call's ``PieceRequise`` when ``piece_requise_id`` is set."""

    __tablename__ = "dossier_piece"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    piece_requise_id: Mapped[int | None] = mapped_column(
        ForeignKey("appel_piece.id", ondelete="SET NULL"), index=True)
    nom: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    taille: Mapped[int] = mapped_column(Integer)
    type_mime: Mapped[str] = mapped_column(String(100))
    ajoute_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    dossier: Mapped[Dossier] = relationship(back_populates="pieces")
    piece_requise: Mapped[PieceRequise | None] = relationship()

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.nom


class Risque(VersionMixin, db.Model):
    __tablename__ = "dossier_risque"
    __table_args__ = (CheckConstraint("probabilite BETWEEN 1 AND 4", name="probabilite"),
                      CheckConstraint("gravite BETWEEN 1 AND 4", name="gravite"),
                      CheckConstraint(_in("categorie", CATEGORIES_RISQUE), name="categorie"))

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    categorie: Mapped[str] = mapped_column(String(20), index=True)
    libelle: Mapped[str] = mapped_column(String(300))
    probabilite: Mapped[int] = mapped_column(Integer)
    gravite: Mapped[int] = mapped_column(Integer)
    mesures: Mapped[str | None] = mapped_column(Text)

    dossier: Mapped[Dossier] = relationship(back_populates="risques")

    @property
    def criticite(self) -> int:
        return self.probabilite * self.gravite

    @property
    def couleur(self) -> str:
        return couleur_risque(self.probabilite, self.gravite)

    def audit_scope(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.libelle


class Candidature(VersionMixin, TimestampMixin, db.Model):
    """A dossier's answer to one call (its own answers, kept per call). ``fiche_id``: the
    fiche action of the organiser's plan once retained (linked, not copied)."""

    __tablename__ = "candidature"
    __table_args__ = (UniqueConstraint("dossier_id", "appel_id"),
                      CheckConstraint(_in("statut", STATUTS_CANDIDATURE), name="statut"))

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    appel_id: Mapped[int] = mapped_column(ForeignKey("appel.id", ondelete="CASCADE"),
                                          index=True)
    axe_id: Mapped[int | None] = mapped_column(ForeignKey("appel_axe.id", ondelete="SET NULL"),
                                               index=True)
    statut: Mapped[str] = mapped_column(String(20), default="brouillon",
                                        server_default="brouillon", index=True)
    motivation: Mapped[str | None] = mapped_column(Text)
    reponses: Mapped[dict] = mapped_column(JSON, default=dict)
    montant_demande: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    deposee_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    motif_eligibilite: Mapped[str | None] = mapped_column(Text)
    fiche_id: Mapped[int | None] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="SET NULL"), unique=True)

    dossier: Mapped[Dossier] = relationship()
    appel: Mapped[AppelAProjets] = relationship()
    axe: Mapped[AxeAppel | None] = relationship()
    fiche: Mapped[FicheAction | None] = relationship()

    def audit_scope(self) -> dict:
        """The organiser reads the journal of a candidature once deposited, not the holder's
        drafting before."""
        return {} if self.deposee_le is None else _appel_scope(self.appel_id)

    def __str__(self) -> str:
        return f"Candidature n°{self.id}"
