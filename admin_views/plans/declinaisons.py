"""The déclinaison actions of the fiche page: the supra side asks or withdraws, the member
side accepts, refuses or ends (``tet.plans.declinaisons``, ``tet.plans.liens``)."""
from __future__ import annotations

from flask import request
from flask_admin import expose

from tet.plans.models import FicheAction
from tet.plans import liens
from tet.plans import declinaisons
from tet.nombres import db_id


class DeclinaisonsMixin:
    """For ``FicheView`` (uses its ``_change``)."""

    @expose("/<int:id>/declinaisons", methods=("POST",))
    def declinaisons(self, id: int):
        """The supra side asks a member fiche to decline this one, or withdraws."""
        def apply(fiche):
            other = request.form.get("membre_fiche_id", type=db_id) or 0
            if request.form.get("op") == "retirer":
                declinaisons.remove(fiche.id, other)
                return "Déclinaison retirée."
            declinaisons.request(fiche, other, self.acteur.user)
            return "Demande de déclinaison envoyée : la collectivité membre doit l'accepter."

        return self._change(id, "#declinaisons", declinaisons.DeclinaisonError, apply,
                            liens.can_request_declinaison)

    @expose("/<int:id>/declinaisons/decision", methods=("POST",))
    def declinaison_decision(self, id: int):
        """The member side accepts or refuses a request, or ends an accepted link."""
        def apply(fiche):
            supra = request.form.get("supra_fiche_id", type=db_id) or 0
            op = request.form.get("op")
            if op == "retirer":
                declinaisons.remove(supra, fiche.id)
                return "Cette fiche ne décline plus la fiche de la collectivité supra."
            if op not in ("accepter", "refuser"):
                raise declinaisons.DeclinaisonError("Opération inconnue.")
            return declinaisons.decide(fiche, supra, op == "accepter", self.acteur.user)

        return self._change(id, "#decline", declinaisons.DeclinaisonError, apply,
                            liens.can_decide_declinaison)


def declinaisons_context(a, fiche: FicheAction) -> dict:
    """What the fiche page shows of déclinaisons, on the supra and on the member side."""
    can_request = liens.can_request_declinaison(a, fiche)
    membres, supras = declinaisons.membre_side(fiche), declinaisons.supra_side(fiche)
    return {
        "declinaisons": membres["acceptee"],
        "declinaison_requests": membres["demandee"],
        "declinaison_candidates": declinaisons.candidates(fiche) if can_request else [],
        "can_request_declinaison": can_request,
        "declined_from": supras["acceptee"],
        "declinaison_received": supras["demandee"],
        "can_decide_declinaison": liens.can_decide_declinaison(a, fiche),
    }
