"""Accounts: collectivités, users, memberships, OPSN."""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    event,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.sql.expression import false

from tet.extensions import db
from tet.colonnes import TimestampMixin, VersionMixin
from tet.tri import tri_fr

if TYPE_CHECKING:
    from tet.maturite.models import IndiceCourant

TYPES_COLLECTIVITE = [
    ("commune", "Commune"),
    ("cc", "Communauté de communes"),
    ("ca", "Communauté d'agglomération"),
    ("cu", "Communauté urbaine"),
    ("metropole", "Métropole"),
    ("syndicat", "Syndicat"),
    ("departement", "Département"),
    ("region", "Région"),
    ("autre", "Autre"),
]
TYPES_COLLECTIVITE_LABELS = dict(TYPES_COLLECTIVITE)
# where a collectivité's identity comes from: the official list (``flask seed --france``,
# which updates it), a sign-up or the back-office, or the demo data (never overwritten)
SOURCES_COLLECTIVITE = [("officiel", "Référentiel officiel"), ("saisie", "Saisie"),
                        ("demo", "Démonstration")]

NIVEAUX = [("admin", "Admin"), ("edition", "Édition"), ("contributeur", "Contributeur"),
           ("lecture", "Lecture")]
NIVEAUX_LABELS = dict(NIVEAUX)
OPSN_ROLES = [("admin", "Admin"), ("membre", "Agent")]
OPSN_ROLES_LABELS = dict(OPSN_ROLES)
# A collectivité created by a sign-up, and its first admin's membership, wait for the
# national support; until then the membership gives nothing (``Membership.validee``).
EN_ATTENTE, VALIDEE = "en_attente", "validee"
STATUTS_VALIDATION = [(EN_ATTENTE, "En attente de validation"), (VALIDEE, "Validée")]

collectivite_membre = Table(
    "collectivite_membre",
    db.metadata,
    Column("supra_id", ForeignKey("collectivite.id", ondelete="CASCADE"), primary_key=True),
    Column("membre_id", ForeignKey("collectivite.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Collectivite(VersionMixin, TimestampMixin, db.Model):
    __tablename__ = "collectivite"

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    siren: Mapped[str] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    code_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    departement: Mapped[str | None] = mapped_column(String(3), index=True)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), default="saisie", server_default="saisie",
                                        index=True)
    niveau2_actif: Mapped[bool] = mapped_column(Boolean, default=False,
                                                server_default=false())
    statut: Mapped[str] = mapped_column(String(20), default=VALIDEE, server_default=VALIDEE,
                                        index=True)

    membres: Mapped[list[Collectivite]] = relationship(
        secondary=collectivite_membre,
        primaryjoin=lambda: Collectivite.id == collectivite_membre.c.supra_id,
        secondaryjoin=lambda: Collectivite.id == collectivite_membre.c.membre_id,
        back_populates="supras",
        order_by=lambda: tri_fr(Collectivite.nom),
    )
    supras: Mapped[list[Collectivite]] = relationship(
        secondary=collectivite_membre,
        primaryjoin=lambda: Collectivite.id == collectivite_membre.c.membre_id,
        secondaryjoin=lambda: Collectivite.id == collectivite_membre.c.supra_id,
        back_populates="membres",
        order_by=lambda: tri_fr(Collectivite.nom),
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="collectivite", cascade="all, delete-orphan"
    )
    # its current maturity index (tet.maturite.indice keeps it), read-only
    indice_courant: Mapped[IndiceCourant | None] = relationship(viewonly=True)

    @property
    def type_label(self) -> str:
        return TYPES_COLLECTIVITE_LABELS.get(self.type, self.type)

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.id}

    def __str__(self) -> str:
        return self.nom


def _links_touched(target, _value, _initiator):
    """Remember on the instance that its supra / membre links changed (read by
    ``tet.plans.liens.may_save_links``; survives an autoflush, unlike the history)."""
    target.liens_modifies = True


for _attr in (Collectivite.membres, Collectivite.supras):
    for _name in ("append", "remove"):
        event.listen(_attr, _name, _links_touched)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    prenom: Mapped[str] = mapped_column(String(100), default="")
    nom: Mapped[str] = mapped_column(String(100), default="", index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_support: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # None until the owner follows a link e-mailed to the address (sign-up, invitation, reset)
    email_verifie_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fonction: Mapped[str | None] = mapped_column(String(150))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # part of the id kept in session and remember-me cookies; a new one ends them all
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token,
                                               server_default="")
    # the weekly digest of the fiches one pilots: opted out, last sent (one per ISO week)
    digest_desabonne: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=false())
    digest_envoye_le: Mapped[date | None] = mapped_column(Date)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    opsn_memberships: Mapped[list[OpsnMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @validates("email")
    def _lower_email(self, _key, value: str) -> str:
        """Lower-cased; a changed address must be proven again (by an e-mailed link)."""
        value = (value or "").strip().lower()
        if self.email and self.email != value:
            self.email_verifie_le = None
        return value

    @validates("password_hash", "active")
    def _end_sessions_on_change(self, key, value):
        """A new password or a deactivation ends every open session of the account."""
        if key == "password_hash" or not value:
            self.session_token = new_session_token()
        return value

    def get_id(self) -> str:  # Flask-Login: what the session and remember cookies hold
        return f"{self.id}:{self.session_token}"

    audit_ignore = ("last_login_at", "session_token", "digest_envoye_le")

    def audit_scope(self) -> dict:
        return {}

    @property
    def email_verifie(self) -> bool:
        return self.email_verifie_le is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: no session for an unproven address
        return bool(self.active) and self.email_verifie

    @property
    def nom_complet(self) -> str:
        full = f"{self.prenom} {self.nom}".strip()
        return full or self.email

    def __str__(self) -> str:
        return self.email


class Membership(TimestampMixin, db.Model):
    """A user's access level (niveau) in one collectivité."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "collectivite_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    collectivite_id: Mapped[int] = mapped_column(
        ForeignKey("collectivite.id", ondelete="CASCADE"), index=True
    )
    niveau: Mapped[str] = mapped_column(String(20), default="lecture")
    statut: Mapped[str] = mapped_column(String(20), default=VALIDEE, server_default=VALIDEE,
                                        index=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    collectivite: Mapped[Collectivite] = relationship(back_populates="memberships")

    @hybrid_property
    def validee(self) -> bool:
        """Only a validated membership gives access (Python and SQL)."""
        return self.statut == VALIDEE

    @property
    def niveau_label(self) -> str:
        return NIVEAUX_LABELS.get(self.niveau, self.niveau)

    def audit_scope(self) -> dict:
        return {"collectivite_id": self.collectivite_id}

    def __str__(self) -> str:
        return f"Accès {self.niveau_label} n°{self.id}"


class Opsn(TimestampMixin, db.Model):
    """Opérateur public de services numériques."""

    __tablename__ = "opsn"

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(200), index=True)
    siren: Mapped[str] = mapped_column(String(9), unique=True)
    email_contact: Mapped[str | None] = mapped_column(String(254))

    departements: Mapped[list[OpsnDepartement]] = relationship(
        back_populates="opsn", cascade="all, delete-orphan", order_by="OpsnDepartement.code"
    )
    memberships: Mapped[list[OpsnMembership]] = relationship(
        back_populates="opsn", cascade="all, delete-orphan"
    )

    @property
    def codes_departements(self) -> list[str]:
        return [d.code for d in self.departements]

    def audit_scope(self) -> dict:
        return {"opsn_id": self.id}

    def __str__(self) -> str:
        return self.nom


class OpsnDepartement(db.Model):
    """A département served by an OPSN."""

    __tablename__ = "opsn_departement"
    __table_args__ = (UniqueConstraint("opsn_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(3), index=True)

    opsn: Mapped[Opsn] = relationship(back_populates="departements")

    def __str__(self) -> str:
        return self.code


class OpsnMembership(TimestampMixin, db.Model):
    __tablename__ = "opsn_membership"
    __table_args__ = (UniqueConstraint("user_id", "opsn_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="membre")

    user: Mapped[User] = relationship(back_populates="opsn_memberships")
    opsn: Mapped[Opsn] = relationship(back_populates="memberships")

    @property
    def role_label(self) -> str:
        return OPSN_ROLES_LABELS.get(self.role, self.role)

    def audit_scope(self) -> dict:
        return {"opsn_id": self.opsn_id}

    def __str__(self) -> str:
        return f"Accès OPSN {self.role_label} n°{self.id}"
