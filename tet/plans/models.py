"""Plans d'action: plans, axes (a tree), fiches action rangées under axes, and their links."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.colonnes import TimestampMixin, VersionMixin, utcnow

# The plan types of Territoires en Transitions, in its two families (its 14 types, the
# « qualité de l'air » one it added later, and our SNR and SPASER); the old codes are kept
# so that existing plans keep their type (« autre » is TeT's « Autre transverse »).
PLAN_TYPE_FAMILLES = [
    ("Plans transverses", [
        ("projet_territoire", "Projet de territoire (dont Agenda 2030, développement durable)"),
        ("cot", "Plan de transition écologique (dont COT et Territoire engagé)"),
        ("crte", "Plan CTE / CRTE"),
        ("pcaet", "Plan climat-air-énergie territorial (PCAET)"),
        ("plpdma", "Plan économie circulaire & déchets (dont PLPDMA)"),
        ("snr", "Stratégie numérique responsable"),
        ("autre", "Autre plan transverse"),
    ]),
    ("Plans thématiques", [
        ("urbanisme", "Plan urbanisme / habitat (dont SCoT, PLU, PLH)"),
        ("energies", "Plan énergies (dont TEPOS)"),
        ("batiment", "Plan bâtiment (dont patrimoine public)"),
        ("mobilite", "Plan mobilité"),
        ("pat", "Plan agriculture / alimentation (dont PAT)"),
        ("eau", "Plan eau"),
        ("biodiversite", "Plan biodiversité"),
        ("air", "Plan de protection de l’atmosphère (qualité de l’air)"),
        ("spaser", "Plan achats responsables (dont SPASER)"),
        ("autre_thematique", "Autre plan thématique"),
    ]),
]
PLAN_TYPES = [pair for _famille, types in PLAN_TYPE_FAMILLES for pair in types]
STATUTS = [
    ("a_venir", "À venir"), ("en_cours", "En cours"), ("realise", "Réalisé"),
    ("en_pause", "En pause"), ("abandonne", "Abandonné"), ("bloque", "Bloqué"),
    ("en_retard", "En retard"), ("a_discuter", "À discuter"),
]
PRIORITES = [("eleve", "Élevé"), ("moyen", "Moyen"), ("bas", "Bas")]
TEMPS = [("court", "Court terme"), ("moyen", "Moyen terme"), ("long", "Long terme")]
CIBLES = [
    ("grand_public", "Grand public"), ("associations", "Associations"),
    ("scolaire", "Public scolaire"), ("autres_collectivites", "Autres collectivités du territoire"),
    ("eco_primaire", "Acteurs économiques du secteur primaire"),
    ("eco_secondaire", "Acteurs économiques du secteur secondaire"),
    ("eco_tertiaire", "Acteurs économiques du secteur tertiaire"),
    ("partenaires", "Partenaires"), ("collectivite", "Collectivité elle-même"),
    ("elus", "Élus locaux"), ("agents", "Agents"),
]
PARTICIPATION = [
    ("aucune", "Pas de participation citoyenne"), ("information", "Information"),
    ("consultation", "Consultation"), ("concertation", "Concertation"),
    ("coconstruction", "Co-construction"),
]
TAG_KINDS = [
    ("libre", "Tag de suivi"), ("service", "Direction ou service pilote"),
    ("structure", "Structure pilote"), ("partenaire", "Partenaire"),
    ("financeur", "Financeur"), ("personne", "Personne pilote"),
    ("elu", "Élu·e référent·e"), ("instance", "Instance de gouvernance"),
]
BUDGET_NATURES = [("investissement", "Investissement"), ("fonctionnement", "Fonctionnement")]
BUDGET_UNITES = [("eur_ht", "€ HT"), ("etp", "ETP")]

fiche_axe = Table(
    "fiche_axe",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("axe_id", ForeignKey("axe.id", ondelete="CASCADE"), primary_key=True),
    # the fiches of an axe from the index alone (the tree page's counts and first fiches)
    Index("ix_fiche_axe_axe_id_fiche_id", "axe_id", "fiche_id"),
)
fiche_tag = Table(
    "fiche_tag",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)
fiche_pilote_user = Table(
    "fiche_pilote_user",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)
fiche_thematique = Table(
    "fiche_thematique",
    db.metadata,
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("thematique_id", ForeignKey("thematique.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


def _collectivite_of(model, pk: int | None) -> int | None:
    """The collectivité of a parent row, read with a plain query (safe during a flush)."""
    if pk is None:
        return None
    return db.session.execute(
        select(model.collectivite_id).where(model.id == pk)).scalar_one_or_none()


class AuthorMixin(TimestampMixin):
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                        onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))


class Plan(VersionMixin, AuthorMixin, db.Model):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    nom: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(30), default="autre", index=True)
    description: Mapped[str | None] = mapped_column(Text)
    confidentiel: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    collectivite: Mapped[Collectivite] = relationship()
    axes: Mapped[list[Axe]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                           order_by="Axe.position")

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return self.nom


class Axe(VersionMixin, db.Model):
    """A node of a plan's tree; ``parent_id`` None means a top-level axe of the plan."""

    __tablename__ = "axe"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("axe.id", ondelete="CASCADE"),
                                                  index=True)
    nom: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(back_populates="axes")
    fiches: Mapped[list[FicheAction]] = relationship(secondary=fiche_axe,
                                                     back_populates="axes")

    def audit_scope(self) -> dict:
        return {"collectivite_id": _collectivite_of(Plan, self.plan_id)}

    def __str__(self) -> str:
        return self.nom


class Thematique(db.Model):
    """National list of thématiques (and sous-thématiques through ``parent_id``)."""

    __tablename__ = "thematique"

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("thematique.id"), index=True)

    def __str__(self) -> str:
        return self.nom


class Tag(db.Model):
    """A per-collectivité label (service, partenaire, personne…) created on the fly."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("collectivite_id", "kind", "nom"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    nom: Mapped[str] = mapped_column(String(200))

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return self.nom


class FicheAction(VersionMixin, AuthorMixin, db.Model):
    __tablename__ = "fiche_action"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # A collectivité's live fiches in title order, read in index order (no sort of
        # every row; keyset pages, the last page read backwards).
        Index("ix_fiche_action_liste", "collectivite_id", "titre", "id",
              sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        # The foreign key's index, also counting a collectivité's live fiches by itself.
        Index("ix_fiche_action_collectivite_id", "collectivite_id", "deleted_at"),
        # Only the corbeille's rows (2 %): an index of every row matched by "deleted_at IS
        # NULL" misled SQLite's planner into scanning 98 % of the table.
        Index("ix_fiche_action_deleted_at", "deleted_at",
              sqlite_where=text("deleted_at IS NOT NULL"),
              postgresql_where=text("deleted_at IS NOT NULL")),
        # A collectivité's live fiches by figures and by date de fin (its dashboard: read on
        # the index alone, not on every fiche).
        Index("ix_fiche_action_chiffres", "collectivite_id", "statut", "priorite", "date_fin",
              sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        Index("ix_fiche_action_echeances", "collectivite_id", "date_fin", "statut",
              sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        # Likewise only the confidential fiches: the non-confidential ones are found through
        # their collectivité (``ix_fiche_action_liste``), not by scanning 95 % of the table.
        Index("ix_fiche_action_confidentiel", "confidentiel",
              sqlite_where=text("confidentiel IS 1"), postgresql_where=text("confidentiel")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="SET NULL"), index=True)
    titre: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    objectifs: Mapped[str | None] = mapped_column(Text)
    ressources: Mapped[str | None] = mapped_column(Text)
    statut: Mapped[str] = mapped_column(String(20), default="a_venir", index=True)
    priorite: Mapped[str | None] = mapped_column(String(10), index=True)
    date_debut: Mapped[date | None] = mapped_column(Date)
    date_fin: Mapped[date | None] = mapped_column(Date, index=True)
    amelioration_continue: Mapped[bool] = mapped_column(Boolean, default=False)
    temps_mise_en_oeuvre: Mapped[str | None] = mapped_column(String(10))
    cibles: Mapped[list] = mapped_column(JSON, default=list)
    participation: Mapped[str | None] = mapped_column(String(20))
    participation_detail: Mapped[str | None] = mapped_column(Text)
    financements: Mapped[str | None] = mapped_column(Text)
    confidentiel: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    collectivite: Mapped[Collectivite] = relationship()
    parent: Mapped[FicheAction | None] = relationship(remote_side=[id],
                                                      back_populates="sous_actions")
    sous_actions: Mapped[list[FicheAction]] = relationship(back_populates="parent")
    axes: Mapped[list[Axe]] = relationship(secondary=fiche_axe, back_populates="fiches")
    tags: Mapped[list[Tag]] = relationship(secondary=fiche_tag)
    pilotes: Mapped[list[User]] = relationship(secondary=fiche_pilote_user)
    thematiques: Mapped[list[Thematique]] = relationship(secondary=fiche_thematique)
    financeurs: Mapped[list[FicheFinanceur]] = relationship(cascade="all, delete-orphan",
                                                            back_populates="fiche")
    budgets: Mapped[list[BudgetLigne]] = relationship(cascade="all, delete-orphan",
                                                      back_populates="fiche")
    notes: Mapped[list[NoteSuivi]] = relationship(cascade="all, delete-orphan",
                                                  back_populates="fiche",
                                                  order_by="NoteSuivi.date.desc()")
    documents: Mapped[list[Document]] = relationship(cascade="all, delete-orphan",
                                                     back_populates="fiche")
    referentiel_actions: Mapped[list["ReferentielAction"]] = relationship(  # noqa: F821
        secondary="fiche_referentiel", order_by="ReferentielAction.identifiant")
    indicateurs: Mapped[list["IndicateurDefinition"]] = relationship(  # noqa: F821
        secondary="fiche_indicateur", order_by="IndicateurDefinition.nom")

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return self.titre


class FicheLien(db.Model):
    """Fiches liées, stored once with ``fiche_a_id < fiche_b_id`` (symmetric)."""

    __tablename__ = "fiche_lien"
    __table_args__ = (CheckConstraint("fiche_a_id < fiche_b_id", name="ordered"),)

    fiche_a_id: Mapped[int] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True)
    fiche_b_id: Mapped[int] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True, index=True)


DECLINAISON_STATUTS = [("demandee", "Demandée"), ("acceptee", "Acceptée"),
                       ("refusee", "Refusée")]


class Declinaison(db.Model):
    """A supra collectivité's fiche declined by a member collectivité's fiche: requested by
    the supra side, it counts only once the member side has accepted it."""

    __tablename__ = "declinaison"

    supra_fiche_id: Mapped[int] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True)
    membre_fiche_id: Mapped[int] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True, index=True)
    statut: Mapped[str] = mapped_column(String(10), default="demandee",
                                        server_default="demandee", index=True)
    demandee_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    demandee_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                         default=utcnow)
    decidee_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    decidee_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FicheFinanceur(db.Model):
    __tablename__ = "fiche_financeur"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche_action.id", ondelete="CASCADE"),
                                          index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), index=True)
    montant: Mapped[float | None] = mapped_column(Numeric(14, 2))

    fiche: Mapped[FicheAction] = relationship(back_populates="financeurs")
    financeur: Mapped[Tag] = relationship()


class BudgetLigne(db.Model):
    __tablename__ = "budget_ligne"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche_action.id", ondelete="CASCADE"),
                                          index=True)
    nature: Mapped[str] = mapped_column(String(20))
    unite: Mapped[str] = mapped_column(String(10), default="eur_ht")
    annee: Mapped[int | None] = mapped_column(Integer)  # None: total over the action
    prevu: Mapped[float | None] = mapped_column(Numeric(14, 2))
    reel: Mapped[float | None] = mapped_column(Numeric(14, 2))

    fiche: Mapped[FicheAction] = relationship(back_populates="budgets")


class NoteSuivi(TimestampMixin, db.Model):
    __tablename__ = "note_suivi"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche_action.id", ondelete="CASCADE"),
                                          index=True)
    date: Mapped[date] = mapped_column(Date)
    texte: Mapped[str] = mapped_column(Text)
    auteur_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    fiche: Mapped[FicheAction] = relationship(back_populates="notes")

    def audit_scope(self) -> dict:
        return {"collectivite_id": _collectivite_of(FicheAction, self.fiche_id)}

    def __str__(self) -> str:
        return f"Note du {self.date:%d/%m/%Y}"


class Document(TimestampMixin, db.Model):
    """A justificatif: a stored file (under the documents folder) or a web link."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche_action.id", ondelete="CASCADE"),
                                          index=True)
    nom: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(String(1000))
    taille: Mapped[int | None] = mapped_column(Integer)
    type_mime: Mapped[str | None] = mapped_column(String(100))
    ajoute_par_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    fiche: Mapped[FicheAction] = relationship(back_populates="documents")

    def audit_scope(self) -> dict:
        return {"collectivite_id": _collectivite_of(FicheAction, self.fiche_id)}

    def __str__(self) -> str:
        return self.nom
