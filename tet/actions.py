"""The actions a page may offer, decided by the policy their handler asks.

``can(acteur, action, obj)`` answers with the very function the handler of that link or
form calls before answering 403, so a page shows an action exactly when following it is
allowed. Handlers call ``require`` (403), templates the Jinja global ``can(action, obj)``.

Actions: ``creer`` (``obj``: a model class), ``modifier``, ``supprimer`` (an object, or its
class for "some of them": the model's policy), ``ranger`` (a fiche: file it in plans),
``creer_fiche`` (``obj``: the plan the new fiche is filed in, or None) and
``saisir_valeurs`` (``obj``: an indicator, or None for the yearly entry page).
"""
from __future__ import annotations

from collections.abc import Callable

from werkzeug.exceptions import Forbidden

from tet.plans.models import FicheAction
from tet.indicateurs.models import IndicateurDefinition
from tet.comptes.permissions import Acteur, policy_for


def _policy(obj):
    return policy_for(obj if isinstance(obj, type) else type(obj))


def _row(obj):
    """The object, or None for a model class ("may edit some of them")."""
    return None if isinstance(obj, type) else obj


def _creer_fiche(a: Acteur, plan) -> bool:
    """A fiche is created in the collectivité one acts for, filed in one of its plans."""
    return policy_for(FicheAction).can_create(a) and (
        plan is None or plan.collectivite_id == a.collectivite_id)


RULES: dict[str, Callable[[Acteur, object], bool]] = {
    "creer": lambda a, model: _policy(model).can_create(a),
    "modifier": lambda a, obj: _policy(obj).can_edit(a, _row(obj)),
    "supprimer": lambda a, obj: _policy(obj).can_delete(a, _row(obj)),
    "ranger": lambda a, fiche: policy_for(FicheAction).can_file(a, _row(fiche)),
    # a restore rewrites the fields and the places: both rights (not a contributeur)
    "restaurer": lambda a, fiche: can(a, "modifier", fiche) and can(a, "ranger", fiche),
    "creer_fiche": _creer_fiche,
    "saisir_valeurs": lambda a, definition: policy_for(IndicateurDefinition)
    .can_enter_values(a, definition),
}


def can(a: Acteur, action: str, obj=None) -> bool:
    """May ``a`` do ``action`` (on ``obj``)? An unknown action is a programming error."""
    if a.user is None:
        return False
    return bool(RULES[action](a, obj))


def require(a: Acteur, action: str, obj=None) -> None:
    """403 unless ``can``."""
    if not can(a, action, obj):
        raise Forbidden()
