"""Policies of indicator definitions: the national catalogue is read by everyone; a
collectivité's personnalisés are its own (support edits the catalogue)."""
from __future__ import annotations

from sqlalchemy import or_

from tet.models import IndicateurDefinition
from tet.permissions import Acteur, Policy, register


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

    def can_enter_values(self, a: Acteur, fiche_pilote: bool = False) -> bool:
        """Values are the collectivité's: admin / édition, or a contributeur pilote of a fiche
        linked to the indicator."""
        return a.can_write_collectivite() or (a.niveau == "contributeur" and fiche_pilote)


register(IndicateurPolicy())
