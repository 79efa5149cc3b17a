"""Impact indicators of a retained project and their yearly values (proposed by the
holder, validated by the organiser)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    select,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.colonnes import TimestampMixin, VersionMixin
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets.models.appels import _appel_scope
from tet.projets.models.choix import STATUTS_VALEUR, _in
from tet.projets.models.comite import _SousCandidature
from tet.projets.models.dossiers import Candidature


# --- suivi des impacts -------------------------------------------------------------------
class Impact(_SousCandidature, VersionMixin, TimestampMixin, db.Model):
    """An impact indicator of a retained project (an ``IndicateurDefinition``), with its
    reference year and value; yearly values are ``ImpactValeur`` rows."""

    __tablename__ = "impact"
    __table_args__ = (UniqueConstraint("candidature_id", "definition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(
        ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("indicateur_definition.id", ondelete="CASCADE"), index=True)
    annee_reference: Mapped[int] = mapped_column(Integer)
    valeur_reference: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))

    definition: Mapped[IndicateurDefinition] = relationship()
    valeurs: Mapped[list[ImpactValeur]] = relationship(
        back_populates="impact", cascade="all, delete-orphan",
        order_by=lambda: [ImpactValeur.annee, ImpactValeur.type])

    def __str__(self) -> str:
        return f"Indicateur d'impact n°{self.id}"


class ImpactValeur(VersionMixin, TimestampMixin, db.Model):
    """A yearly objectif or résultat: ``valeur`` proposed by the holder, ``valeur_validee``
    the last one the organiser validated (the only one the observatoire sums)."""

    __tablename__ = "impact_valeur"
    __table_args__ = (UniqueConstraint("impact_id", "annee", "type"),
                      CheckConstraint("type IN ('objectif', 'resultat')", name="type"),
                      CheckConstraint(_in("statut", STATUTS_VALEUR), name="statut"),
                      CheckConstraint("annee BETWEEN 1990 AND 2100", name="annee"))

    id: Mapped[int] = mapped_column(primary_key=True)
    impact_id: Mapped[int] = mapped_column(ForeignKey("impact.id", ondelete="CASCADE"),
                                           index=True)
    annee: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(10))
    valeur: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    statut: Mapped[str] = mapped_column(String(10), default="proposee", index=True)
    valeur_validee: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    commentaire: Mapped[str | None] = mapped_column(Text)
    proposee_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    validee_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    validee_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    impact: Mapped[Impact] = relationship(back_populates="valeurs")

    def audit_scope(self) -> dict:
        return _appel_scope(db.session.execute(
            select(Candidature.appel_id).join(Impact, Impact.candidature_id == Candidature.id)
            .where(Impact.id == self.impact_id)).scalar_one_or_none())

    def __str__(self) -> str:
        return f"{self.type} {self.annee} : {self.valeur}"
