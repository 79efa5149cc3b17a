"""Read-only audit log (support: everything; collectivité admin: its own): one entry per
save, in French (``tet.comptes.historique``), with filters by object, person, date, action."""
from __future__ import annotations

from flask import flash, request
from flask_admin import expose
from markupsafe import Markup, escape
from sqlalchemy import false

from admin_views.base import ScopedModelView, full_text_search
from tet import recherche
from tet.comptes.historique_pages import Filtres, curseur, page_journal
from tet.comptes.journal import ACTIONS, OBJECT_LABELS, AuditLog


def format_changes(entry) -> Markup:
    rows = "".join(
        f"<li><strong>{escape(field)}</strong> : {escape(show_value(old))} → {escape(show_value(new))}</li>"
        for field, old, new in entry.visible_changes
    )
    if not rows:
        return Markup("")
    return Markup(f'<ul class="list-unstyled mb-0 small">{rows}</ul>')


def show_value(value) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class AuditLogView(ScopedModelView):
    name = "Journal d'audit"
    can_view_details = True
    column_list = ["at", "user_email", "action", "object_type", "object_repr", "changes"]
    column_labels = {"at": "Date", "user_email": "Par", "action": "Action",
                     "object_type": "Type", "object_id": "N°", "object_repr": "Objet",
                     "changes": "Modifications", "collectivite_id": "Collectivité (n°)",
                     "opsn_id": "OPSN (n°)", "context": "Contexte"}
    column_searchable_list = ["user_email", "object_repr", "object_type"]
    column_filters = ["action", "object_type", "user_email", "at"]
    column_sortable_list = ["at", "user_email", "action", "object_type"]
    column_default_sort = ("at", True)
    column_choices = {"action": ACTIONS, "object_type": list(OBJECT_LABELS.items())}
    column_formatters = {"changes": lambda v, c, m, n: format_changes(m)}
    column_formatters_export = {"changes": lambda v, c, m, n: "; ".join(
        f"{k} : {show_value(o)} → {show_value(n_)}" for k, o, n_ in m.visible_changes)}
    column_details_list = ["at", "user_email", "action", "object_type", "object_id",
                           "object_repr", "changes", "collectivite_id", "opsn_id", "context"]

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Words of the object, of the author's e-mail or its type, on the full-text index
        (``tet.recherche``), not ``ILIKE '%…%'`` over the whole journal."""
        return full_text_search("audit", self.model, query, count_query, joins, count_joins,
                                search)

    @expose("/")
    def index_view(self):
        """The entries of the scoped journal, filtered, latest first (keyset pages)."""
        filtres = Filtres.lire(request.args)
        for message in filtres.erreurs:
            flash(message, "error")
        query = self.get_query()
        search = (request.args.get("search") or "").strip()[:200]
        cond = recherche.condition("audit", AuditLog.id, search) if search else None
        if cond is not None:
            query = query.filter(cond)
        page = page_journal(query, filtres, curseur(request.args.get("apres")),
                            versions_visibles=self._versions_visibles())
        suite = None
        if page.suite:
            args = request.args.to_dict()
            args["apres"] = page.suite
            suite = self.get_url(".index_view", **args)
        return self.render("admin/journal.html", page=page, filtres=filtres, search=search,
                           types=sorted(OBJECT_LABELS.items(), key=lambda t: t[1]),
                           actions=ACTIONS, suite=suite,
                           premiere=self.get_url(".index_view") if request.args.get("apres")
                           else None)

    def _versions_visibles(self):
        from tet.plans.versions_fiche import FicheVersion

        a = self.acteur
        if a.is_support:
            return None
        if a.is_collectivite_admin():
            return FicheVersion.collectivite_id == a.collectivite_id
        return false()
