"""Policies of plans and fiches action.

Inside its collectivité: admin and édition write everything, lecture reads, contributeur
reads and edits only the fiches where they are a pilote. Soft-deleted rows are out of every
scope except the corbeille (``deleted_scope``). Other collectivités' non-confidential fiches
are readable through the inspiration query only.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, false, not_, select

from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.models import fiche_axe, fiche_pilote_user
from tet.comptes.permissions import Acteur, Policy, register, scope_by


class PlanPolicy(Policy):
    model = Plan

    def condition(self, a: Acteur):
        return scope_by(a, collectivite=Plan.collectivite_id, live=Plan.deleted_at.is_(None))

    def can_list(self, a):
        return a.is_support or a.collectivite_id is not None

    def can_create(self, a):
        """Created inside the collectivité one acts for (support joins it to do so)."""
        return a.can_write_collectivite()

    def can_edit(self, a, obj=None):
        return a.is_support or a.can_write_collectivite(
            obj.collectivite_id if obj is not None else None)

    can_delete = can_edit


class FichePolicy(Policy):
    model = FicheAction

    def condition(self, a: Acteur):
        return scope_by(a, collectivite=FicheAction.collectivite_id,
                        live=FicheAction.deleted_at.is_(None))

    def can_list(self, a):
        return a.is_support or a.collectivite_id is not None

    def can_create(self, a):
        return a.can_write_collectivite()

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        if obj is None:  # "may edit some fiches"
            return a.can_write_collectivite() or a.niveau == "contributeur"
        if a.can_write_collectivite(obj.collectivite_id):
            return True
        return (a.niveau == "contributeur" and obj.collectivite_id == a.collectivite_id
                and obj.id in piloted_ids(a))

    def can_delete(self, a, obj=None):
        return a.is_support or a.can_write_collectivite(
            obj.collectivite_id if obj is not None else None)

    # Add or remove places of a fiche in plan axes changes the plans: only those who write
    # the collectivité's plans (not a contributeur, even on a fiche it pilots).
    can_file = can_delete


def piloted_ids(a: Acteur) -> set[int]:
    """Ids of the fiches the acteur pilots, loaded once per acteur (i.e. per request): a
    page asking row by row costs one query."""
    from tet.extensions import db

    if "piloted" not in a.cache:
        a.cache["piloted"] = set(db.session.scalars(select(fiche_pilote_user.c.fiche_id).where(
            fiche_pilote_user.c.user_id == a.user.id)))
    return a.cache["piloted"]


def deleted_scope(a: Acteur, model):
    """Rows of the corbeille: soft-deleted, restorable by an admin (or support)."""
    if a.is_support:
        return model.deleted_at.is_not(None)
    if a.is_collectivite_admin():
        return and_(model.deleted_at.is_not(None), model.collectivite_id == a.collectivite_id)
    return false()


def shareable_condition():
    """Fiches another collectivité may know of: not confidential, not deleted, and not
    filed in a confidential plan."""
    in_confidential_plan = exists(
        select(fiche_axe.c.fiche_id).join(Axe, Axe.id == fiche_axe.c.axe_id)
        .join(Plan, Plan.id == Axe.plan_id)
        .where(fiche_axe.c.fiche_id == FicheAction.id, Plan.confidentiel.is_(True)))
    return and_(FicheAction.deleted_at.is_(None), FicheAction.confidentiel.is_(False),
                not_(in_confidential_plan))


def inspiration_condition(a: Acteur):
    """Fiches of other collectivités open to inspiration (``shareable_condition``)."""
    cond = shareable_condition()
    if a.collectivite_id:
        cond = and_(cond, FicheAction.collectivite_id != a.collectivite_id)
    return cond


register(PlanPolicy(), FichePolicy())
