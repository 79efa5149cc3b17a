"""The fiche list's filters (``tet.plans.filtres``): a plain GET form above the table, with
named parameters kept by the search, the sort and the pages (Flask-Admin's extra args)."""
from __future__ import annotations

from flask import flash, g, request
from flask_admin import expose

from tet.plans import filtres

LIST_ENDPOINTS = ("index_view", "export")


class FiltresFichesMixin:
    """For ``FicheView``: the filters apply to the list, its count and its export."""

    def criteres(self) -> filtres.Criteres:
        """The filters of this request, read and checked once."""
        if "tet_criteres" not in g:
            c = filtres.lire(request.args)
            filtres.verifier(c, self.acteur.collectivite_id)
            g.tet_criteres = c
        return g.tet_criteres

    def _filtrer(self, query):
        if request.endpoint not in {f"{self.endpoint}.{e}" for e in LIST_ENDPOINTS}:
            return query
        conds = filtres.conditions(self.criteres())
        return query.filter(*conds) if conds else query

    def get_query(self):
        return self._filtrer(super().get_query())

    def get_count_query(self):
        return self._filtrer(super().get_count_query())

    @expose("/")
    def index_view(self):
        c = self.criteres()
        for message in c.erreurs:
            flash(message, "error")
        self._template_args.update(
            criteres=c, filtre_options=filtres.options(self.acteur.collectivite_id, c.plan),
            filtre_gardes={k: v for k, v in request.args.items()
                           if k in ("search", "sort", "desc", "page_size")})
        return super().index_view()
