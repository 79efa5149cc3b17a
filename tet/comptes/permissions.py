"""Who may see and do what: the one place every view, query and export asks.

A signed-in user acts for one *contexte* at a time (a collectivité with a niveau, an OPSN
with a role, an organisation porteuse de projets with a role, or the committee of one call
for projects) chosen in the header; support national sees everything. Each resource has
a ``Policy`` (``tet.comptes.politiques``, ``tet.plans.permissions``) giving the row filter
(applied in SQL) and the allowed actions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import false, select, true

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, Opsn, OpsnMembership, User
from tet.comptes.demandes import Rattachement
from tet.tri import tri_fr

WRITE_NIVEAUX = ("admin", "edition")
READ_NIVEAUX = ("admin", "edition", "contributeur", "lecture")


@dataclass(frozen=True)
class Contexte:
    kind: str  # "collectivite" | "opsn" | "organisation" | "comite"
    id: int  # the collectivité, OPSN, organisation or call (comite)
    # niveau (admin / edition / lecture), OPSN or organisation role (admin / membre), or a
    # committee member's origine (organisateur / partenaire / expert)
    role: str
    nom: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class Acteur:
    user: User | None
    contexte: Contexte | None = None
    contextes: list[Contexte] = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # per request

    @property
    def is_support(self) -> bool:
        return bool(self.user is not None and self.user.is_support)

    @property
    def has_access(self) -> bool:
        """Support, or acting for a collectivité / OPSN; anyone else (a request waiting for
        a decision, a removed member) sees only the home page."""
        return self.is_support or self.contexte is not None

    @property
    def collectivite_id(self) -> int | None:
        c = self.contexte
        return c.id if c and c.kind == "collectivite" else None

    @property
    def opsn_id(self) -> int | None:
        c = self.contexte
        return c.id if c and c.kind == "opsn" else None

    @property
    def organisation_id(self) -> int | None:
        """The organisation porteuse the user acts for (a project holder)."""
        c = self.contexte
        return c.id if c and c.kind == "organisation" else None

    @property
    def comite_appel_id(self) -> int | None:
        """The call whose committee the user sits on, when acting as a committee member."""
        c = self.contexte
        return c.id if c and c.kind == "comite" else None

    @property
    def niveau(self) -> str | None:
        return self.contexte.role if self.collectivite_id else None

    @property
    def opsn_role(self) -> str | None:
        return self.contexte.role if self.opsn_id else None

    def is_collectivite_admin(self, collectivite_id: int | None = None) -> bool:
        return self.niveau == "admin" and (
            collectivite_id is None or collectivite_id == self.collectivite_id
        )

    def can_write_collectivite(self, collectivite_id: int | None = None) -> bool:
        return self.niveau in WRITE_NIVEAUX and (
            collectivite_id is None or collectivite_id == self.collectivite_id
        )

    def is_opsn_admin(self, opsn_id: int | None = None) -> bool:
        return self.opsn_role == "admin" and (opsn_id is None or opsn_id == self.opsn_id)

    def is_opsn_member(self, opsn_id: int | None = None) -> bool:
        return self.opsn_role is not None and (opsn_id is None or opsn_id == self.opsn_id)


# Other kinds of contexte, given by the domains (``register_contextes``: the calls for
# projects add the organisations porteuses and the committees); the core imports none.
CONTEXTES_DES_DOMAINES: list = []


def register_contextes(provider) -> None:
    """``provider(user) -> list[Contexte]``, asked after the collectivités and OPSN."""
    if provider not in CONTEXTES_DES_DOMAINES:
        CONTEXTES_DES_DOMAINES.append(provider)


def contextes_of(user: User) -> list[Contexte]:
    """Every collectivité and OPSN the user may act for, in one query each (a membership
    waiting for the support's validation is no membership), then the domains' contextes."""
    rows = db.session.execute(
        select(Membership.collectivite_id, Membership.niveau, Collectivite.nom)
        .join(Collectivite, Collectivite.id == Membership.collectivite_id)
        .where(Membership.user_id == user.id, Membership.validee)
        .order_by(tri_fr(Collectivite.nom))
    ).all()
    result = [Contexte("collectivite", cid, niveau, nom) for cid, niveau, nom in rows]
    rows = db.session.execute(
        select(OpsnMembership.opsn_id, OpsnMembership.role, Opsn.nom)
        .join(Opsn, Opsn.id == OpsnMembership.opsn_id)
        .where(OpsnMembership.user_id == user.id)
        .order_by(tri_fr(Opsn.nom))
    ).all()
    result += [Contexte("opsn", oid, role, nom) for oid, role, nom in rows]
    for provider in CONTEXTES_DES_DOMAINES:
        result += provider(user)
    return result


def build_acteur(user: User | None, choice: str | None = None) -> Acteur:
    """The acteur for ``user`` acting for ``choice`` ("kind:id"), or their first contexte."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Acteur(None)
    contextes = contextes_of(user)
    chosen = next((c for c in contextes if c.key == choice), None)
    if chosen is None and contextes:
        chosen = contextes[0]
    return Acteur(user, chosen, contextes)


def attached_collectivites(opsn_id: int, statuts=("acceptee",)):
    """Subquery: ids of the collectivités attached to an OPSN."""
    return select(Rattachement.collectivite_id).where(
        Rattachement.opsn_id == opsn_id, Rattachement.statut.in_(statuts)
    )

def scope_by(a: Acteur, collectivite=None, opsn=None, live=None):
    """The usual row filter: support sees every (live) row; a collectivité sees the rows whose
    ``collectivite`` column is its own, an OPSN those whose ``opsn`` column is its own."""
    from sqlalchemy import and_

    if a.is_support:
        cond = None
    elif collectivite is not None and a.collectivite_id:
        cond = collectivite == a.collectivite_id
    elif opsn is not None and a.opsn_id:
        cond = opsn == a.opsn_id
    else:
        return false()
    if live is None:
        return cond
    return live if cond is None else and_(live, cond)


class Policy:
    """Default: support only."""

    model = None

    def condition(self, a: Acteur):
        """SQL condition restricting the rows ``a`` may see (None: all)."""
        return None if a.is_support else false()

    def scope(self, a: Acteur, query):
        cond = self.condition(a)
        return query if cond is None else query.filter(cond)

    def can_list(self, a: Acteur) -> bool:
        return a.is_support

    def can_view(self, a: Acteur, obj) -> bool:
        return self.can_list(a) and self.visible(a, obj)

    def visible(self, a: Acteur, obj) -> bool:
        """Is ``obj`` among the scoped rows (checked in SQL)."""
        cond = self.condition(a)
        if cond is None:
            return True
        pk = type(obj).id
        return db.session.execute(
            select(true()).select_from(type(obj)).where(pk == obj.id, cond)
        ).first() is not None

    def can_create(self, a: Acteur) -> bool:
        return a.is_support

    def can_edit(self, a: Acteur, obj=None) -> bool:
        return a.is_support

    def can_delete(self, a: Acteur, obj=None) -> bool:
        return a.is_support

    def can_export(self, a: Acteur) -> bool:
        return self.can_list(a)


POLICIES: dict[type, Policy] = {}


class ReadOnlyPolicy(Policy):
    """Rows no generic back-office form creates, edits or deletes: the domain's services
    write them, with their own checks."""

    def can_create(self, a: Acteur) -> bool:
        return False

    def can_edit(self, a: Acteur, obj=None) -> bool:
        return False

    def can_delete(self, a: Acteur, obj=None) -> bool:
        return False


def register(*policies: Policy) -> None:
    for policy in policies:
        POLICIES[policy.model] = policy


def policy_for(model) -> Policy:
    return POLICIES[model]


def current_acteur() -> Acteur:
    """The acteur of the current request (cached on ``g``)."""
    from flask import g, session
    from flask_login import current_user

    user = current_user._get_current_object() if current_user.is_authenticated else None
    choice = session.get("contexte")
    key = (getattr(user, "id", None), choice)
    cached = g.get("acteur")
    if cached is None or g.get("acteur_key") != key:
        g.acteur = build_acteur(user, choice)
        g.acteur_key = key
    return g.acteur
