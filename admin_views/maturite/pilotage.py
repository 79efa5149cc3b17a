"""OPSN space (attached collectivités) and the national maturity dashboard (support)."""
from __future__ import annotations

from flask import request, url_for
from flask_admin import expose

from admin_views import charts
from admin_views.base import SecureView
from admin_views.maturite.questionnaire import LETTER_COLOURS
from tet.comptes.permissions import current_acteur
from tet.maturite import stats


def _letter_bars(data) -> str:
    return charts.bars([(f"Note {letter}", n, LETTER_COLOURS[letter])
                        for letter, n in data["letters"]], "Répartition des notes",
                       headers=("Note", "Collectivités"))


def _progression_bars(data) -> str:
    return charts.bars([(k, v, "#17a2b8") for k, v in data["progression"]], "Progression",
                       headers=("Avancement", "Collectivités"))


class OpsnMaturiteView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().opsn_id is not None

    @expose("/")
    def index(self):
        a = current_acteur()
        f = {"q": request.args.get("q", "").strip()[:100],
             "tri": request.args.get("tri") if request.args.get("tri") in stats.TRIS else "nom",
             "etat": request.args.get("etat") if request.args.get("etat") in stats.ETATS
             else ""}
        page = stats.opsn_page(a.opsn_id, request.args.get("page", 0, type=int), **f)
        data = stats.opsn_overview(a.opsn_id)
        demandes, n_demandes = stats.pending_requests(a.opsn_id)
        return self.render("admin/maturite_opsn.html", data=data, letters=_letter_bars(data),
                           progression=_progression_bars(data), acteur=a, liste=page, f=f,
                           tris=stats.TRIS, etats=stats.ETATS,
                           url=lambda **kw: url_for(".index", **{**f, **kw}),
                           pager_url=lambda p: url_for(".index", **f, page=p),
                           demandes=demandes, n_demandes=n_demandes, colours=LETTER_COLOURS)


class MaturiteNationaleView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().is_support

    @expose("/")
    def index(self):
        data = stats.national()
        return self.render("admin/maturite_national.html", data=data, letters=_letter_bars(data),
                           progression=_progression_bars(data))
