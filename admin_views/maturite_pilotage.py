"""OPSN space (attached collectivités) and the national maturity dashboard (support)."""
from __future__ import annotations

from flask_admin import expose

from admin_views import charts
from admin_views.base import SecureView
from admin_views.maturite import LETTER_COLOURS
from tet.permissions import current_acteur
from tet.services import maturite_stats as stats


def _letter_bars(data) -> str:
    return charts.bars([(f"Note {letter}", n, LETTER_COLOURS[letter])
                        for letter, n in data["letters"]], "Répartition des notes")


class OpsnMaturiteView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().opsn_id is not None

    @expose("/")
    def index(self):
        a = current_acteur()
        data = stats.overview(stats.opsn_collectivites(a.opsn_id))
        return self.render("admin/maturite_opsn.html", data=data, letters=_letter_bars(data),
                           progression=charts.bars([(k, v, "#17a2b8")
                                                    for k, v in data["progression"]],
                                                   "Progression"), acteur=a,
                           demandes=stats.pending_requests(a.opsn_id), colours=LETTER_COLOURS)


class MaturiteNationaleView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().is_support

    @expose("/")
    def index(self):
        data = stats.national()
        return self.render("admin/maturite_national.html", data=data, letters=_letter_bars(data),
                           progression=charts.bars([(k, v, "#17a2b8")
                                                    for k, v in data["progression"]],
                                                   "Progression"))
