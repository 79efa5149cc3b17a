"""Appels à projets: organisations porteuses, appels, dossiers, candidatures, comité, suivi.

See the design note of ``tet.projets``. Labels of the coded values live next to them
(``..._LABELS``); every row people edit carries a version (optimistic locking).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.extensions import db
from tet.models.accounts import Collectivite, User
from tet.models.base import TimestampMixin, VersionMixin, utcnow
from tet.models.indicateurs import IndicateurDefinition
from tet.models.plans import FicheAction

TYPES_ORGANISATION = [("association", "Association"), ("entreprise", "Entreprise"),
                      ("commune", "Commune"), ("organisme_public", "Autre organisme public")]
ROLES_ORGANISATION = [("admin", "Admin"), ("membre", "Membre")]
STATUTS_APPEL = [("brouillon", "Brouillon"), ("ouvert", "Ouvert"), ("clos", "Clos"),
                 ("decide", "Décidé")]
ETAPES = [("depot", "Dépôt"), ("eligibilite", "Éligibilité"), ("priorisation", "Priorisation"),
          ("risques", "Gestion des risques"), ("conventionnement", "Conventionnement"),
          ("suivi", "Suivi")]
ORIGINES_COMITE = [("organisateur", "Organisateur"), ("partenaire", "Collectivité partenaire"),
                   ("expert", "Expert invité")]
ZONES_IMPACT = [("local", "Local"), ("regional", "Régional"), ("national", "National"),
                ("international", "International")]
STADES = [("idee", "Idée"), ("cahier_des_charges", "Cahier des charges"),
          ("prototype", "Prototype"), ("developpement", "Développement"), ("test", "Test"),
          ("production", "Production")]
STATUTS_CANDIDATURE = [
    ("brouillon", "Brouillon"), ("depose", "Déposé"), ("eligible", "Éligible"),
    ("non_eligible", "Non éligible"), ("evalue", "Évalué"), ("retenu", "Retenu"),
    ("non_retenu", "Non retenu"), ("conventionne", "Conventionné"), ("en_suivi", "En suivi"),
]
# the statuts of a project the committee retained (the observatoire shows only these)
STATUTS_RETENUS = ("retenu", "conventionne", "en_suivi")
CATEGORIES_RISQUE = [
    ("technique", "Technique"), ("organisationnel", "Organisationnel"),
    ("rh", "Ressources humaines"), ("planification", "Planification"), ("moyens", "Moyens"),
    ("contractuel", "Contractuel"), ("juridique", "Juridique"), ("financier", "Financier"),
    ("environnemental", "Environnemental"), ("acceptabilite", "Acceptabilité sociale"),
]
CHOIX_VOTE = [("pour", "Pour"), ("contre", "Contre"), ("abstention", "Abstention")]
RESULTATS = [("retenu", "Retenu"), ("non_retenu", "Non retenu")]
STATUTS_VALEUR = [("proposee", "Proposée"), ("validee", "Validée"), ("refusee", "Refusée")]
OPTIONS_NOTES = [1, 3, 5]  # default scoring options of a call
# the fields of a dossier its holder may mark public for the observatoire (the title, the
# organisation, the stage, the axe and the statut of a retained project are always public)
CHAMPS_PUBLICS = [("description", "Description"), ("objectifs", "Objectifs"),
                  ("beneficiaires", "Bénéficiaires"), ("partenaires", "Partenaires"),
                  ("zone_impact", "Zone d'impact"), ("budget_total", "Budget total")]

TYPES_ORGANISATION_LABELS = dict(TYPES_ORGANISATION)
STATUTS_APPEL_LABELS = dict(STATUTS_APPEL)
ETAPES_LABELS = dict(ETAPES)
ORIGINES_COMITE_LABELS = dict(ORIGINES_COMITE)
ZONES_IMPACT_LABELS = dict(ZONES_IMPACT)
STADES_LABELS = dict(STADES)
STATUTS_CANDIDATURE_LABELS = dict(STATUTS_CANDIDATURE)
CATEGORIES_RISQUE_LABELS = dict(CATEGORIES_RISQUE)
CHOIX_VOTE_LABELS = dict(CHOIX_VOTE)
STATUTS_VALEUR_LABELS = dict(STATUTS_VALEUR)


def couleur_risque(probabilite: int, gravite: int) -> str:
    """The cell colour of the 4 × 4 grid, from the criticité p × g (1 to 16):
    vert 1–2, jaune 3–4, orange 6–8, rouge 9–16 (a certain or grave risk is never green)."""
    c = probabilite * gravite
    return "vert" if c <= 2 else "jaune" if c <= 4 else "orange" if c <= 8 else "rouge"


def _in(column: str, choices) -> str:
    return f"{column} IN ({', '.join(repr(k) for k, _ in choices)})"


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


# --- appels ------------------------------------------------------------------------------
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
                                                          order_by=Collectivite.nom)
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
    """An uploaded file of a dossier (checked by ``tet.services.documents``), answering a
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
        return _appel_scope(self.appel_id)

    def __str__(self) -> str:
        return f"Candidature n°{self.id}"


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


class Evaluation(_SousCandidature, VersionMixin, TimestampMixin, db.Model):
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


class Vote(_SousCandidature, TimestampMixin, db.Model):
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
