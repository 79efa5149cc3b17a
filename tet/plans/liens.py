"""Links between collectivités.

Supra / membres: who belongs to which EPCI or syndicat is not declared by either side; only
support sets it (and the official reference data, which fill the same
``collectivite_membre`` table). Déclinaisons: the supra side asks, the member side (its
admins and éditions) accepts or refuses; the supra side only ever knows of a member's
shareable (non-confidential) fiches, of actual members.
"""
from __future__ import annotations

from sqlalchemy import and_, select

from tet.plans.models import FicheAction
from tet.comptes.models import collectivite_membre
from tet.comptes.permissions import Acteur
from tet.plans.permissions import shareable_condition


def can_edit_membres(a: Acteur) -> bool:
    """Set the communes membres (and the supras) of a collectivité."""
    return a.is_support


def may_save_links(a: Acteur, collectivite) -> bool:
    """A collectivité being saved: its supra / membre links may have changed only if ``a``
    may edit them (a forged form field is refused here, whatever the form shows)."""
    return can_edit_membres(a) or not getattr(collectivite, "liens_modifies", False)


def _writes_side_of(a: Acteur, fiche: FicheAction) -> bool:
    return a.is_support or a.can_write_collectivite(fiche.collectivite_id)


def can_request_declinaison(a: Acteur, supra_fiche: FicheAction) -> bool:
    """Ask members to decline this fiche, withdraw the request or the link."""
    return _writes_side_of(a, supra_fiche)


def can_decide_declinaison(a: Acteur, membre_fiche: FicheAction) -> bool:
    """Accept or refuse a request made to this fiche, or end an accepted link."""
    return _writes_side_of(a, membre_fiche)


def membres_of(supra_id):
    """Subquery: ids of the actual members of a supra collectivité."""
    return select(collectivite_membre.c.membre_id).where(
        collectivite_membre.c.supra_id == supra_id)


def visible_to_supra(supra_id):
    """Member fiches the supra side may see (in a picker or a roll-up): shareable fiches of
    its actual members."""
    return and_(shareable_condition(), FicheAction.collectivite_id.in_(membres_of(supra_id)))
