"""The audit log: who changed what, when (filled by ``tet.services.audit``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from tet.extensions import db
from tet.models.base import utcnow

ACTIONS = [("create", "Création"), ("update", "Modification"), ("delete", "Suppression")]
ACTIONS_LABELS = dict(ACTIONS)
OBJECT_LABELS = {
    "Collectivite": "Collectivité", "User": "Utilisateur", "Membership": "Accès membre",
    "Opsn": "OPSN", "OpsnMembership": "Accès OPSN", "Rattachement": "Rattachement",
    "DemandeAdhesion": "Demande d'accès",
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

    @property
    def action_label(self) -> str:
        return ACTIONS_LABELS.get(self.action, self.action)

    @property
    def object_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)

    def __str__(self) -> str:
        return f"{self.action_label} {self.object_label} n°{self.object_id}"
