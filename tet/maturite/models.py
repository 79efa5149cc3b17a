"""Maturity questionnaire: versioned référentiel (categories, thèmes, questions, answer
options, glossary, recommendations), a collectivité's answers, index snapshots and the
follow-up of recommendations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tet.extensions import db
from tet.colonnes import TimestampMixin, VersionMixin, utcnow

PRIORITES = [("prioritaire", "Prioritaire"), ("necessaire", "Nécessaire"),
             ("facultatif", "Facultatif")]
# the points of a question's good answer(s), by priority (domain.md, "Maturity index")
POIDS = {"prioritaire": 3, "necessaire": 2, "facultatif": 1}
RECO_NIVEAUX = [("prioritaire", "Prioritaire"), ("recommande", "Recommandé"),
                ("necessaire", "Nécessaire")]
RECO_STATUTS = [("a_definir", "À définir"), ("a_planifier", "À planifier"),
                ("planifiee", "Planifiée"), ("en_cours", "En cours"),
                ("realisee", "Réalisée")]
QUESTION_TYPES = [("oui_non", "Oui / non"), ("choix", "Choix"), ("nombre", "Nombre"),
                  ("texte", "Texte")]
# who acts on a recommendation (``Recommandation.acteurs``, the first one leads)
ACTEURS = {
    "elus": "Élus",
    "direction": "Direction générale",
    "referent": "Référent numérique responsable",
    "dsi": "DSI / service informatique",
    "achats": "Service achats",
    "agents": "Agents",
    "communication": "Service communication",
    "rh": "Ressources humaines",
    "services_techniques": "Services techniques",
    "opsn": "OPSN",
}
NON_CONCERNE = "non_concerne"  # the option of a question that may not apply (best points)

question_definition = Table(
    "question_definition",
    db.metadata,
    Column("question_id", ForeignKey("mat_question.id", ondelete="CASCADE"), primary_key=True),
    Column("definition_id", ForeignKey("mat_definition.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class QuestionnaireVersion(TimestampMixin, db.Model):
    __tablename__ = "mat_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    numero: Mapped[int] = mapped_column(Integer, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # a shipped version's stable name (``seeds.maturite.SHIPPED``); none for a version made
    # in the back-office editor, whose number may be the one a shipped file declares
    reference: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)

    def __str__(self) -> str:
        return f"Version {self.numero}"


class Categorie(db.Model):
    __tablename__ = "mat_categorie"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("mat_version.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(String(40))
    nom: Mapped[str] = mapped_column(String(200))
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    niveau2_only: Mapped[bool] = mapped_column(Boolean, default=False)

    themes: Mapped[list[Theme]] = relationship(order_by="Theme.ordre",
                                               cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.nom


class Theme(db.Model):
    __tablename__ = "mat_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    categorie_id: Mapped[int] = mapped_column(
        ForeignKey("mat_categorie.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    nom: Mapped[str] = mapped_column(String(200))
    ordre: Mapped[int] = mapped_column(Integer, default=0)

    def __str__(self) -> str:
        return self.nom


class Definition(db.Model):
    """A glossary entry."""

    __tablename__ = "mat_definition"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("mat_version.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(String(60))
    terme: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)

    def __str__(self) -> str:
        return self.terme


class Recommandation(TimestampMixin, db.Model):
    """From the référentiel (``version_id``) or free, added by an OPSN for one collectivité
    (``collectivite_id``)."""

    __tablename__ = "mat_recommandation"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("mat_version.id", ondelete="CASCADE"), index=True)
    collectivite_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    opsn_id: Mapped[int | None] = mapped_column(ForeignKey("opsn.id", ondelete="SET NULL"))
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    categorie_code: Mapped[str | None] = mapped_column(String(40), index=True)
    titre: Mapped[str] = mapped_column(String(300))
    corps: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)  # v1 only (v2: ``etapes``)
    pourquoi: Mapped[str | None] = mapped_column(Text)
    etapes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    effort: Mapped[str | None] = mapped_column(Text)  # « Moyen : 3 à 5 jours… »
    cout: Mapped[str | None] = mapped_column(Text)  # « Faible : moins de 2 000 €… »
    acteurs: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # ACTEURS
    # [{"editeur", "titre", "annee"?, "url"?}] (v1: {"titre", "url"})
    ressources: Mapped[list] = mapped_column(JSON, default=list)
    indicateurs_succes: Mapped[list] = mapped_column(JSON, default=list)
    niveau: Mapped[str] = mapped_column(String(20), default="recommande")
    niveau_questionnaire: Mapped[int] = mapped_column(Integer, default=1)

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id, "opsn_id": self.opsn_id}

    @property
    def moyens(self) -> str:
        """« Effort moyen · coût faible · pilote : DSI… » for a list row ("" for v1)."""
        parts = [f"{label} {niveau.lower()}" for label, niveau in (
            ("effort", echelle(self.effort)[0]), ("coût", echelle(self.cout)[0])) if niveau]
        if self.acteurs:
            parts.append(f"pilote : {ACTEURS.get(self.acteurs[0], self.acteurs[0])}")
        texte = " · ".join(parts)
        return texte[:1].upper() + texte[1:]

    @property
    def qui(self) -> list[str]:
        """The names of who acts, the leader first."""
        return [ACTEURS.get(code, code) for code in self.acteurs or []]

    @property
    def sources(self) -> list[dict]:
        """The resources as shown: publisher, title, year and a link only when the URL is
        an http(s) address (v1 entries without a publisher still show)."""
        result = []
        for r in self.ressources or []:
            if not isinstance(r, dict) or not (r.get("titre") or r.get("url")):
                continue
            url = r.get("url") if isinstance(r.get("url"), str) else None
            result.append({"editeur": r.get("editeur"), "titre": r.get("titre") or url,
                           "annee": r.get("annee"),
                           "url": url if url and url.startswith(("https://", "http://"))
                           else None})
        return result

    def __str__(self) -> str:
        return self.titre


def echelle(texte: str | None) -> tuple[str | None, str | None]:
    """« Moyen : 3 à 5 jours… » → ("Moyen", "3 à 5 jours…"); no level → (None, texte)."""
    if not texte:
        return None, None
    niveau, sep, reste = texte.partition(":")
    if sep and niveau.strip() and len(niveau.strip()) <= 12:
        return niveau.strip(), reste.strip() or None
    return None, texte.strip()


class Question(db.Model):
    __tablename__ = "mat_question"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("mat_version.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(String(40))
    niveau: Mapped[int] = mapped_column(Integer, index=True)
    categorie_id: Mapped[int] = mapped_column(ForeignKey("mat_categorie.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("mat_theme.id"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    texte: Mapped[str] = mapped_column(Text)
    aide: Mapped[str | None] = mapped_column(Text)
    fondements: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    priorite: Mapped[str] = mapped_column(String(20), default="necessaire")
    type: Mapped[str] = mapped_column(String(20), default="oui_non")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("mat_question.id"), index=True)
    parent_reponse: Mapped[str | None] = mapped_column(String(40))
    recommandation_id: Mapped[int | None] = mapped_column(
        ForeignKey("mat_recommandation.id", ondelete="SET NULL"), index=True)

    options: Mapped[list[ReponseOption]] = relationship(
        order_by="ReponseOption.ordre", cascade="all, delete-orphan")
    definitions: Mapped[list[Definition]] = relationship(secondary=question_definition)
    categorie: Mapped[Categorie] = relationship()
    recommandation: Mapped[Recommandation | None] = relationship()

    def __str__(self) -> str:
        return f"{self.code} {self.texte[:60]}"


class ReponseOption(db.Model):
    __tablename__ = "mat_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("mat_question.id", ondelete="CASCADE"),
                                             index=True)
    code: Mapped[str] = mapped_column(String(40))
    libelle: Mapped[str] = mapped_column(String(300))
    points: Mapped[int] = mapped_column(Integer, default=0)
    ordre: Mapped[int] = mapped_column(Integer, default=0)


class Reponse(VersionMixin, db.Model):
    """One collectivité's answer to one question (of the version it was given under)."""

    __tablename__ = "mat_reponse"
    __table_args__ = (UniqueConstraint("collectivite_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("mat_question.id", ondelete="CASCADE"),
                                             index=True)
    option_code: Mapped[str | None] = mapped_column(String(40))
    valeur_texte: Mapped[str | None] = mapped_column(Text)
    valeur_nombre: Mapped[float | None] = mapped_column(Numeric(18, 4))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return f"Réponse n°{self.id}"


class Snapshot(db.Model):
    """The index after a change of answers (history)."""

    __tablename__ = "mat_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("mat_version.id"))
    niveau2: Mapped[bool] = mapped_column(Boolean, default=False)
    indice: Mapped[int | None] = mapped_column(Integer)
    lettre: Mapped[str | None] = mapped_column(String(1))
    progression: Mapped[int] = mapped_column(Integer, default=0)
    officiel: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    par_categorie: Mapped[dict] = mapped_column(JSON, default=dict)


class SuiviRecommandation(db.Model):
    """A collectivité's status of one recommendation (its action plan)."""

    __tablename__ = "mat_suivi"
    __table_args__ = (UniqueConstraint("collectivite_id", "recommandation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True)
    recommandation_id: Mapped[int] = mapped_column(
        ForeignKey("mat_recommandation.id", ondelete="CASCADE"), index=True)
    statut: Mapped[str] = mapped_column(String(20), default="a_definir")
    active_par_opsn: Mapped[bool] = mapped_column(Boolean, default=False)
    fiche_id: Mapped[int | None] = mapped_column(
        ForeignKey("fiche_action.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                        onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    recommandation: Mapped[Recommandation] = relationship()

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return f"Suivi de recommandation n°{self.id}"


class IndiceCourant(db.Model):
    """Per collectivité, a copy of its latest snapshot and of its latest official one, kept
    by ``tet.maturite.indice`` in the transaction that writes a snapshot: the
    dashboards, the benchmark and the OPSN pages aggregate this table instead of looking
    for the latest snapshot among the whole history."""

    __tablename__ = "mat_indice_courant"

    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("mat_snapshot.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("mat_version.id"), index=True)
    indice: Mapped[int | None] = mapped_column(Integer)
    lettre: Mapped[str | None] = mapped_column(String(1))
    progression: Mapped[int] = mapped_column(Integer, default=0)
    officiel: Mapped[bool] = mapped_column(Boolean, default=False)
    officiel_snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("mat_snapshot.id", ondelete="SET NULL"), index=True)
    officiel_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    indice_officiel: Mapped[int | None] = mapped_column(Integer, index=True)
    lettre_officielle: Mapped[str | None] = mapped_column(String(1), index=True)


class IndiceCategorie(db.Model):
    """The per-category index of a collectivité's latest snapshot (medians in SQL)."""

    __tablename__ = "mat_indice_categorie"
    __table_args__ = (Index("ix_mat_indice_categorie_code_indice", "categorie_code", "indice"),)

    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("mat_indice_courant.collectivite_id", ondelete="CASCADE"),
        primary_key=True)
    categorie_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    indice: Mapped[int | None] = mapped_column(Integer)
