"""Policies of accounts, OPSN, rattachements, adhesion requests and the audit log."""
from __future__ import annotations

from sqlalchemy import false, select

from tet.models import (
    AuditLog,
    Collectivite,
    DemandeAdhesion,
    Membership,
    Opsn,
    OpsnMembership,
    Rattachement,
    User,
)
from tet.permissions import Policy, attached_collectivites, register, scope_by


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
                select(Membership.user_id).where(Membership.collectivite_id == a.collectivite_id)
            )
        if a.opsn_id:
            return User.id.in_(
                select(OpsnMembership.user_id).where(OpsnMembership.opsn_id == a.opsn_id)
            )
        return false()

    def can_list(self, a):
        return a.is_support or a.contexte is not None


class MembershipPolicy(Policy):
    model = Membership

    def condition(self, a):
        return scope_by(a, collectivite=Membership.collectivite_id)

    def can_list(self, a):
        return a.is_support or a.collectivite_id is not None

    def can_create(self, a):
        return a.is_support or a.is_collectivite_admin()

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        return a.is_collectivite_admin(obj.collectivite_id if obj is not None else None)

    can_delete = can_edit


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


class OpsnMembershipPolicy(Policy):
    model = OpsnMembership

    def condition(self, a):
        return scope_by(a, opsn=OpsnMembership.opsn_id)

    def can_list(self, a):
        return a.is_support or a.opsn_id is not None

    def can_create(self, a):
        return a.is_support or a.is_opsn_admin()

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        return a.is_opsn_admin(obj.opsn_id if obj is not None else None)

    can_delete = can_edit


class RattachementPolicy(Policy):
    """Rows change only through the state machine (``tet.services.rattachement``)."""

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


class AuditLogPolicy(Policy):
    model = AuditLog

    def condition(self, a):
        if a.is_support:
            return None
        if a.is_collectivite_admin():
            return AuditLog.collectivite_id == a.collectivite_id
        return false()

    def can_list(self, a):
        return a.is_support or a.is_collectivite_admin()

    def can_create(self, a):
        return False

    def can_edit(self, a, obj=None):
        return False

    def can_delete(self, a, obj=None):
        return False


class DemandeAdhesionPolicy(Policy):
    model = DemandeAdhesion

    def condition(self, a):
        if a.is_support:
            return None
        if a.is_collectivite_admin():
            return DemandeAdhesion.collectivite_id == a.collectivite_id
        return false()

    def can_list(self, a):
        return a.is_support or a.is_collectivite_admin()

    def can_create(self, a):
        return False

    def can_edit(self, a, obj=None):
        return False

    def can_delete(self, a, obj=None):
        return False

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
