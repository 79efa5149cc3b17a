"""Policies of indicator definitions: the national catalogue is read by everyone; a
collectivité's personnalisés are its own (support edits the catalogue)."""
from __future__ import annotations

from sqlalchemy import or_, select

from tet.indicateurs.models import IndicateurDefinition
from tet.comptes.permissions import Acteur, Policy, register


class IndicateurPolicy(Policy):
    model = IndicateurDefinition

    def condition(self, a: Acteur):
        national = IndicateurDefinition.collectivite_id.is_(None)
        if a.is_support:
            return None
        if a.collectivite_id:
            return or_(national, IndicateurDefinition.collectivite_id == a.collectivite_id)
        return national

    def can_list(self, a):
        return a.user is not None

    def can_create(self, a):
        return a.can_write_collectivite()

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        if obj is None:
            return a.can_write_collectivite()
        return obj.collectivite_id is not None and a.can_write_collectivite(obj.collectivite_id)

    can_delete = can_edit

    def can_enter_values(self, a: Acteur, definition=None) -> bool:
        """Values are the collectivité's: admin / édition (any indicator, and the yearly
        entry page), or a contributeur pilote of a fiche linked to ``definition``."""
        if a.can_write_collectivite():
            return True
        return (a.niveau == "contributeur" and definition is not None
                and _pilots_a_linked_fiche(a, definition.id))


def _pilots_a_linked_fiche(a: Acteur, definition_id: int) -> bool:
    """The one place indicators look at plans (imported here: plans build on indicators)."""
    from tet.extensions import db
    from tet.indicateurs.models import fiche_indicateur
    from tet.plans.models import FicheAction, fiche_pilote_user

    return db.session.execute(
        select(fiche_indicateur.c.fiche_id)
        .join(fiche_pilote_user, fiche_pilote_user.c.fiche_id == fiche_indicateur.c.fiche_id)
        .join(FicheAction, FicheAction.id == fiche_indicateur.c.fiche_id)
        .where(fiche_indicateur.c.definition_id == definition_id,
               fiche_pilote_user.c.user_id == a.user.id,
               FicheAction.collectivite_id == a.collectivite_id)).first() is not None


register(IndicateurPolicy())
