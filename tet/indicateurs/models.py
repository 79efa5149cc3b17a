"""Référentiels (CAE, ECi) as trees of actions, indicator definitions and yearly values."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from tet.extensions import db
from tet.formats import nombre
from tet.colonnes import TimestampMixin, VersionMixin

REFERENTIELS = [("cae", "Climat Air Énergie"), ("eci", "Économie circulaire")]
VALEUR_TYPES = [("objectif", "Objectif"), ("resultat", "Résultat")]
ANNEE_MIN, ANNEE_MAX = 1990, 2100

fiche_referentiel = Table(
    "fiche_referentiel",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("referentiel_action.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)
fiche_indicateur = Table(
    "fiche_indicateur",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("definition_id", ForeignKey("indicateur_definition.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)
indicateur_action = Table(
    "indicateur_action",
    db.metadata,
    Column("definition_id", ForeignKey("indicateur_definition.id", ondelete="CASCADE"),
           primary_key=True),
    Column("action_id", ForeignKey("referentiel_action.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class ReferentielAction(db.Model):
    """A node of a référentiel: axe, sous-axe, action or sous-action (by depth)."""

    __tablename__ = "referentiel_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    referentiel: Mapped[str] = mapped_column(String(10), index=True)
    identifiant: Mapped[str] = mapped_column(String(30), unique=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referentiel_action.id", ondelete="CASCADE"), index=True)
    nom: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    profondeur: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def code(self) -> str:
        """``cae_1.2.3`` → ``1.2.3``."""
        return self.identifiant.split("_", 1)[-1]

    def __str__(self) -> str:
        return f"{self.identifiant} — {self.nom}"


class IndicateurDefinition(TimestampMixin, db.Model):
    """From the national catalogue (``collectivite_id`` None) or personnalisé."""

    __tablename__ = "indicateur_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifiant: Mapped[str | None] = mapped_column(String(30), unique=True)
    collectivite_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    nom: Mapped[str] = mapped_column(String(300), index=True)
    unite: Mapped[str] = mapped_column(String(30))
    thematique: Mapped[str | None] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    # the PCAET's families (émissions de GES, consommation d'énergie finale, production
    # d'énergies renouvelables, séquestration, polluants) and what a row breaks down
    famille: Mapped[str | None] = mapped_column(String(100), index=True)
    secteur: Mapped[str | None] = mapped_column(String(100))
    vecteur: Mapped[str | None] = mapped_column(String(100))
    filiere: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(300))
    # required by the décret n° 2016-849 and the arrêté du 4 août 2016 (PCAET)
    reglementaire: Mapped[bool] = mapped_column(Boolean, default=False,
                                                server_default=false())

    actions: Mapped[list[ReferentielAction]] = relationship(secondary=indicateur_action,
                                                            order_by=ReferentielAction.identifiant)

    @property
    def personnalise(self) -> bool:
        return self.collectivite_id is not None

    @property
    def detail(self) -> str:
        """« Secteur : résidentiel », « Vecteur : électricité »… (empty when none)."""
        parts = [(label, value) for label, value in (
            ("Secteur", self.secteur), ("Vecteur", self.vecteur), ("Filière", self.filiere))
            if value]
        return " · ".join(f"{label} : {value}" for label, value in parts)

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return f"{self.identifiant} — {self.nom}" if self.identifiant else self.nom


class IndicateurValeur(VersionMixin, TimestampMixin, db.Model):
    __tablename__ = "indicateur_valeur"
    __table_args__ = (
        UniqueConstraint("collectivite_id", "definition_id", "annee", "type"),
        CheckConstraint(f"annee BETWEEN {ANNEE_MIN} AND {ANNEE_MAX}", name="annee"),
        CheckConstraint("type IN ('objectif', 'resultat')", name="type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("indicateur_definition.id", ondelete="CASCADE"), index=True)
    annee: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(10))
    valeur: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    source: Mapped[str | None] = mapped_column(String(300))
    commentaire: Mapped[str | None] = mapped_column(Text)

    definition: Mapped[IndicateurDefinition] = relationship()

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        """« Objectif 2026 : 165 », « Résultat 2015 : 212,4 »."""
        return f"{dict(VALEUR_TYPES).get(self.type, self.type)} {self.annee} : {nombre(self.valeur)}"
