"""The maturity results of a collectivité as a PDF, for the OPSN and the élus: who may read
its dashboard may download it (its members, the OPSN it is attached to, support); any other
collectivité's id is a 404."""
from __future__ import annotations

from flask import abort, request
from flask_admin import expose

from admin_views import charts
from admin_views.base import SecureView
from admin_views.maturite.questionnaire import LETTER_COLOURS
from tet.comptes.permissions import current_acteur
from tet.maturite import permissions as perm
from tet.maturite import rapport
from tet.nombres import db_id
from tet.rapports.reponse import telechargement


class RapportMaturiteView(SecureView):
    """``?c=<id>`` as the dashboard (default: the collectivité one acts for)."""

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        a = current_acteur()
        coll = perm.collectivite_lisible(a, request.args.get("c", type=db_id)
                                         or a.collectivite_id)
        if coll is None:
            abort(404)
        try:
            r = rapport.donnees(coll)
        except rapport.MaturiteError as exc:
            abort(404, str(exc))
        graphiques = {
            "categories": charts.bars([(c.nom, c.indice or 0, "#000091") for c in r.categories],
                                      "Indice par catégorie"),
            "historique": charts.history([(s.at, s.indice) for s in r.historique],
                                         "Historique de l’indice"),
        }
        return telechargement(rapport.pdf(r, graphiques, LETTER_COLOURS),
                              f"Maturité numérique {coll.nom}", "pdf")
