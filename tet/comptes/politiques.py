"""Policies of accounts, OPSN, rattachements, adhesion requests and the audit log."""
from __future__ import annotations

from sqlalchemy import and_, false, select

from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, Opsn, OpsnMembership, User
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.comptes.permissions import (
    Policy,
    ReadOnlyPolicy,
    attached_collectivites,
    register,
    scope_by,
)


class CollectivitePolicy(Policy):
    model = Collectivite

    def condition(self, a):
        if a.is_support:
            return None
        if a.collectivite_id:
            return Collectivite.id == a.collectivite_id
        if a.opsn_id:
            return Collectivite.id.in_(attached_collectivites(a.opsn_id))
        return false()

    def can_list(self, a):
        return a.is_support or a.contexte is not None

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        return a.is_collectivite_admin(obj.id if obj is not None else None)


class UserPolicy(Policy):
    model = User

    def condition(self, a):
        if a.is_support:
            return None
        if a.collectivite_id:
            return User.id.in_(
                select(Membership.user_id).where(Membership.collectivite_id == a.collectivite_id,
                                                 Membership.validee)
            )
        if a.opsn_id:
            return User.id.in_(
                select(OpsnMembership.user_id).where(OpsnMembership.opsn_id == a.opsn_id)
            )
        return false()

    def can_list(self, a):
        return a.is_support or a.contexte is not None


class _MembersPolicy(Policy):
    """Members of one collectivité or OPSN: everyone acting for it reads them, its admins
    manage them."""

    kind = ""  # "collectivite" | "opsn"

    @property
    def column(self):
        return getattr(self.model, f"{self.kind}_id")

    def condition(self, a):
        return scope_by(a, **{self.kind: self.column})

    def _own(self, a):
        return a.collectivite_id if self.kind == "collectivite" else a.opsn_id

    def _is_admin(self, a, entity_id) -> bool:
        if self.kind == "collectivite":
            return a.is_collectivite_admin(entity_id)
        return a.is_opsn_admin(entity_id)

    def can_list(self, a):
        return a.is_support or self._own(a) is not None

    def can_create(self, a):
        return a.is_support or self._is_admin(a, None)

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        return self._is_admin(a, getattr(obj, f"{self.kind}_id") if obj is not None else None)

    def can_delete(self, a, obj=None):
        return self.can_edit(a, obj)


class MembershipPolicy(_MembersPolicy):
    """A membership waiting for the support's validation is the support's alone."""

    model = Membership
    kind = "collectivite"

    def condition(self, a):
        cond = super().condition(a)
        return cond if a.is_support else and_(cond, Membership.validee)


def can_validate_accounts(a) -> bool:
    """Accept or refuse the first admin of a new collectivité: the national support."""
    return a.is_support


class OpsnPolicy(Policy):
    """The list of OPSN is public to signed-in users (to choose one for a rattachement)."""

    model = Opsn

    def condition(self, a):
        return None

    def can_list(self, a):
        return a.user is not None

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        return a.is_opsn_admin(obj.id if obj is not None else None)


class OpsnMembershipPolicy(_MembersPolicy):
    model = OpsnMembership
    kind = "opsn"


class RattachementPolicy(Policy):
    """Rows change only through the state machine (``tet.comptes.rattachement``)."""

    model = Rattachement

    def condition(self, a):
        return scope_by(a, collectivite=Rattachement.collectivite_id,
                        opsn=Rattachement.opsn_id)

    def can_list(self, a):
        return a.is_support or a.contexte is not None

    def can_create(self, a):
        return a.is_collectivite_admin()

    def can_edit(self, a, obj=None):
        return False

    def can_delete(self, a, obj=None):
        return False

    def can_request(self, a) -> bool:
        return a.is_collectivite_admin()

    def can_decide(self, a, obj) -> bool:
        """Accept or refuse: the OPSN's admins and agents, or support."""
        return a.is_support or a.is_opsn_member(obj.opsn_id)

    def can_cancel(self, a, obj) -> bool:
        return a.is_support or a.is_collectivite_admin(obj.collectivite_id)

    def can_end(self, a, obj) -> bool:
        return self.can_decide(a, obj) or self.can_cancel(a, obj)


class _AdminReadOnlyPolicy(ReadOnlyPolicy):
    """Rows of a collectivité that only its admins (and support) read; nobody writes them
    through the back-office."""

    def condition(self, a):
        if a.is_support:
            return None
        if a.is_collectivite_admin():
            return self.model.collectivite_id == a.collectivite_id
        return false()

    def can_list(self, a):
        return a.is_support or a.is_collectivite_admin()


class AuditLogPolicy(_AdminReadOnlyPolicy):
    model = AuditLog


class DemandeAdhesionPolicy(_AdminReadOnlyPolicy):
    """Decided (accepted / refused) through ``tet.comptes.services``."""

    model = DemandeAdhesion

    def can_decide(self, a, obj) -> bool:
        return a.is_support or a.is_collectivite_admin(obj.collectivite_id)


register(
    CollectivitePolicy(),
    UserPolicy(),
    MembershipPolicy(),
    OpsnPolicy(),
    OpsnMembershipPolicy(),
    RattachementPolicy(),
    AuditLogPolicy(),
    DemandeAdhesionPolicy(),
)
