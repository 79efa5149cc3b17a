"""The audit log: who changed what, when (filled by ``tet.comptes.audit``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tet.extensions import db
from tet.colonnes import utcnow

ACTIONS = [("create", "Création"), ("update", "Modification"), ("delete", "Suppression"),
           ("export", "Export"), ("import", "Import")]
ACTIONS_LABELS = dict(ACTIONS)
OBJECT_LABELS = {
    "Collectivite": "Collectivité", "User": "Utilisateur", "Membership": "Accès membre",
    "Opsn": "OPSN", "OpsnMembership": "Accès OPSN", "Rattachement": "Rattachement",
    "DemandeAdhesion": "Demande d'accès", "Plan": "Plan", "Axe": "Axe",
    "FicheAction": "Fiche action", "Tag": "Étiquette", "NoteSuivi": "Note de suivi",
    "Document": "Document", "ExportPartenaire": "Export pour partenaires",
    "IndicateurValeur": "Valeur d'indicateur", "IndicateurDefinition": "Indicateur",
    "Reponse": "Réponse au questionnaire", "SuiviRecommandation": "Suivi de recommandation",
    "Recommandation": "Recommandation", "AppelAProjets": "Appel à projets",
    "AxeAppel": "Axe d'un appel", "Etape": "Étape d'un appel", "Matrice": "Grille d'évaluation",
    "Critere": "Critère", "PieceRequise": "Pièce demandée", "MembreComite": "Membre du comité",
    "Organisation": "Organisation", "OrganisationMembre": "Membre d'une organisation",
    "Dossier": "Dossier", "Financement": "Financement d'un dossier", "Jalon": "Jalon",
    "Risque": "Risque", "PieceJustificative": "Pièce justificative",
    "Candidature": "Candidature", "Message": "Message", "Evaluation": "Évaluation",
    "Vote": "Vote", "Decision": "Décision", "Impact": "Indicateur d'impact",
    "ImpactValeur": "Valeur d'impact",
}


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # Plain ids, no foreign keys: the trail outlives the rows it talks about.
    user_id: Mapped[int | None] = mapped_column(index=True)
    user_email: Mapped[str | None] = mapped_column(String(254), index=True)
    action: Mapped[str] = mapped_column(String(10), index=True)
    object_type: Mapped[str] = mapped_column(String(50), index=True)
    object_id: Mapped[int | None] = mapped_column(index=True)
    object_repr: Mapped[str] = mapped_column(String(300), default="")
    collectivite_id: Mapped[int | None] = mapped_column(index=True)
    opsn_id: Mapped[int | None] = mapped_column(index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    context: Mapped[str | None] = mapped_column(String(300))
    # the changeset: rows written by one request, command or ``acting_as`` block share it
    # (NULL before revision a28: one entry per row)
    lot: Mapped[str | None] = mapped_column(String(36), index=True)

    @property
    def action_label(self) -> str:
        return ACTIONS_LABELS.get(self.action, self.action)

    @property
    def visible_changes(self) -> list[tuple[str, object, object]]:
        """(French field label, old, new), bookkeeping fields left out (labels per object
        type: ``tet.comptes.historique_libelles``; values as stored)."""
        from tet.comptes.historique_libelles import MASQUES, libelle

        return [(libelle(self.object_type, k), old, new)
                for k, (old, new) in (self.changes or {}).items() if k not in MASQUES]

    @property
    def object_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)

    def __str__(self) -> str:
        return f"{self.action_label} {self.object_label} n°{self.object_id}"


# The home pages read a collectivité's latest entries, the latest imports and exports and an
# attached collectivité's last activity on these indexes (a30_accueil), never by sorting the log.
Index("ix_audit_log_collectivite_at", AuditLog.collectivite_id, AuditLog.at)
Index("ix_audit_log_action_at", AuditLog.action, AuditLog.at)
