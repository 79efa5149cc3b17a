"""The conflict pages of a fiche: its form, and its places (« ranger la fiche »)."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from admin_views.plans.fiche_form import fill_choices, prefill
from admin_views.verrou import conflit, conflit_formulaire
from forms.fiche import FicheForm
from forms.verrou import VERSION
from tet.extensions import db
from tet.plans.models import Axe
from tet.plans import arbre
from tet import verrous
from tet.plans.fiches import TAG_FIELDS

# fiche form field → the fiche attribute the audit log names
AUDIT_ATTRIBUTS = {"thematique_ids": "thematiques", "pilote_ids": "pilotes",
                   **{kind: "tags" for kind in TAG_FIELDS}}


def conflit_fiche(view, fiche, form):
    autre = fill_choices(FicheForm(formdata=None), fiche.collectivite_id, exclude=fiche.id)
    prefill(autre, fiche)
    return conflit_formulaire(view, form, autre, fiche, objet=fiche.titre,
                              annuler=url_for(".page", id=fiche.id), attributs=AUDIT_ATTRIBUTS)


def _places(axe_ids) -> list:
    names = {i: nom for i, nom in db.session.execute(select(Axe.id, Axe.nom).where(
        Axe.id.in_(list(axe_ids))))} if axe_ids else {}
    return verrous.fige(sorted(axe_ids), ", ".join(sorted(names.get(i, str(i))
                                                         for i in axe_ids)) or "aucun")


def base_places(axe_ids) -> str:
    return verrous.signer({"axe_ids": _places(axe_ids)})


def conflit_places(view, fiche, mine: set[int]):
    """Someone filed the fiche elsewhere since the page was shown: their places, mine."""
    return conflit(view, objet=fiche.titre, libelles={"axe_ids": "Emplacements (plans et axes)"},
                   autre={"axe_ids": _places({a.id for a in arbre.places(fiche)})},
                   mien={"axe_ids": _places(mine)}, objets=[("FicheAction", fiche.id)],
                   versions={VERSION: fiche.version}, annuler=url_for(".page", id=fiche.id))
