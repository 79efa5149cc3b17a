"""The one scoped base every back-office view derives from.

Access flags come from ``tet.comptes.permissions``; ``get_query``, ``get_count_query`` and
``get_one`` are scoped together, so a list, a count, an export and a guessed id all see the
same rows. A forbidden action answers 403, an object out of scope 404.
"""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Response, abort, g, redirect, request, stream_with_context, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.model import template, typefmt
from flask_admin.model.helpers import get_mdict_item_or_list
from flask_login import current_user
from sqlalchemy import false
from wtforms.validators import ValidationError

from admin_views import francais
from admin_views.pages import KeysetPagesMixin
from tet.formats import date_fr, date_heure, nombre
from tet.extensions import db
from tet.comptes.permissions import current_acteur, policy_for
from tet.actions import can
from tet import csv_export, recherche, xlsx
from tet.nombres import PAGE_MAX, parse_id
from tet.tri import tri_texte

URL_SAFE = "!$'()*,/:;?@"  # as werkzeug's url_for leaves them
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FRENCH_FORMATTERS = {
    **typefmt.BASE_FORMATTERS,
    datetime: lambda view, value, name: date_heure(value),
    date: lambda view, value, name: date_fr(value),
    int: lambda view, value, name: nombre(value),
    bool: lambda view, value, name: "Oui" if value else "Non",
}
EXPORT_FORMATTERS = {
    **typefmt.EXPORT_FORMATTERS,
    datetime: lambda view, value, name: date_heure(value),
    date: lambda view, value, name: date_fr(value),
    bool: lambda view, value, name: "Oui" if value else "Non",
}


class ViewRow(template.ViewRowAction):
    """The eye of a list row, titled in the project's French."""

    def __init__(self):
        super().__init__()
        self.title = francais.gettext("View Record")


class EditRow(template.EditRowAction):
    """The pencil of a list row, only on the rows the acteur may edit."""

    def __init__(self):
        super().__init__()
        self.title = francais.gettext("Edit Record")

    def render(self, context, row_id, row):
        return super().render(context, row_id, row) if can(current_acteur(), "modifier",
                                                           row) else ""


class DeleteRow(template.DeleteRowAction):
    """The bin of a list row, only on the rows the acteur may delete."""

    def __init__(self):
        super().__init__()
        self.title = francais.gettext("Delete Record")

    def render(self, context, row_id, row):
        return super().render(context, row_id, row) if can(current_acteur(), "supprimer",
                                                           row) else ""


class AccessMixin:
    """Signed-in users with a contexte (or support) only; a view-specific ``allowed()`` says
    who else is refused. ``without_contexte`` opens a page to every signed-in user."""

    without_contexte = False

    def allowed(self) -> bool:
        return True

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and (
            self.without_contexte or current_acteur().has_access) and self.allowed()

    def render(self, template, **kwargs):
        """Flask-Admin's words through the project's French (``admin_views.francais``)."""
        self._template_args.update(_gettext=francais.gettext, _ngettext=francais.ngettext,
                                   get_flashed_messages=francais.get_flashed_messages)
        return super().render(template, **kwargs)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)


class SecureView(AccessMixin, BaseView):
    """A custom page (``@expose``) behind the same access rules."""


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """The only ``form_ajax_refs`` loader: a look-up (``/ajax/lookup/``) and the ids a
    submitted form names see the rows of the model's policy for the current acteur, as its
    lists do, and nothing at all unless ``may_link(acteur)`` (default: may list them)."""

    MAX_LIMIT = 50

    def __init__(self, name, model, may_link=None, **options):
        super().__init__(name, db, model, **options)
        self.may_link = may_link

    def get_query(self):
        a = current_acteur()
        policy = policy_for(self.model)
        allowed = self.may_link(a) if self.may_link is not None else policy.can_list(a)
        query = super().get_query()
        return policy.scope(a, query) if allowed else query.filter(false())

    def get_one(self, pk):
        pk = parse_id(pk)  # a malformed id is an unknown row, never a database error
        if pk is None:
            return None
        with db.session.no_autoflush:
            return self.get_query().filter(self.model.id == pk).one_or_none()

    def get_list(self, term, offset=0, limit=10):
        limit = min(max(limit or 10, 1), self.MAX_LIMIT)
        return super().get_list(term or "", max(offset or 0, 0), limit)


class ScopedModelView(AccessMixin, KeysetPagesMixin, ModelView):
    can_view_details = True
    export_types = ["xlsx", "csv"]
    page_size = 50
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    list_template = "admin/tet_list.html"
    details_template = "admin/tet_details.html"
    column_type_formatters = FRENCH_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS
    column_type_formatters_detail = FRENCH_FORMATTERS

    def __init__(self, model, **kwargs):
        super().__init__(model, db, **kwargs)

    # --- permissions -------------------------------------------------------------------
    @property
    def policy(self):
        return policy_for(self.model)

    @property
    def acteur(self):
        return current_acteur()

    def allowed(self) -> bool:
        return self.policy.can_list(self.acteur)

    @property
    def can_create(self):  # type: ignore[override]
        return current_user.is_authenticated and self.policy.can_create(self.acteur)

    @property
    def can_edit(self):  # type: ignore[override]
        return current_user.is_authenticated and self.policy.can_edit(self.acteur)

    @property
    def can_delete(self):  # type: ignore[override]
        return current_user.is_authenticated and self.policy.can_delete(self.acteur)

    @property
    def can_export(self):  # type: ignore[override]
        return current_user.is_authenticated and self.policy.can_export(self.acteur)

    def row_url(self, endpoint: str, row_id=None, return_url: str | None = None) -> str:
        """The URL of a row's page (details, edit, delete), its base built once per request:
        what ``get_url(endpoint, id=…, url=…)`` returns, without a url_for per row."""
        bases = g.setdefault("tet_row_urls", {})
        key = (self.endpoint, endpoint)
        if key not in bases:
            bases[key] = self.get_url(endpoint)
        if row_id is None:
            return bases[key]
        query = {"id": row_id} if return_url is None else {"id": row_id, "url": return_url}
        return f"{bases[key]}?{urlencode(query, safe=URL_SAFE)}"

    def get_list_row_actions(self):
        """Edit and delete asked row by row (a view-wide ``can_edit`` only says "some")."""
        swap = {template.EditRowAction: EditRow, template.DeleteRowAction: DeleteRow,
                 template.ViewRowAction: ViewRow}
        return [swap[type(a)]() if type(a) in swap else a
                for a in super().get_list_row_actions()]

    def _order_by(self, query, joins, sort_joins, sort_field, sort_desc):
        """Text columns in French order (``tet.tri``: É with E, case second)."""
        if sort_field is not None and not sort_joins:  # (a joined column: Flask-Admin's)
            sort_field = tri_texte(sort_field)
        return super()._order_by(query, joins, sort_joins, sort_field, sort_desc)

    # --- scoping -----------------------------------------------------------------------
    def get_query(self):
        return self.policy.scope(self.acteur, super().get_query())

    def get_count_query(self):
        return self.policy.scope(self.acteur, super().get_count_query())

    def get_one(self, id):
        pk = parse_id(id)
        if pk is None:
            return None
        return self.get_query().filter(self.model.id == pk).one_or_none()

    def _get_list_extra_args(self):
        """A page number beyond any list is a 404, a negative one the first page."""
        args = super()._get_list_extra_args()
        if args.page > PAGE_MAX:
            abort(404)
        args.page = max(args.page, 0)
        return self._list_args(args)

    def handle_action(self, return_view=None):
        """Row ids of a list action are checked before any handler sees them."""
        if any(parse_id(i) is None for i in request.form.getlist("rowid")):
            abort(400)
        return super().handle_action(return_view)

    def _object_or_404(self, id):
        obj = self.get_one(id)
        if obj is None:
            abort(404)
        return obj

    # --- actions answer 403 / 404 instead of silently redirecting ----------------------
    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        if not self.can_create:
            abort(403)
        return super().create_view()

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        if not self.can_edit:
            abort(403)
        obj = self._object_or_404(get_mdict_item_or_list(request.args, "id"))
        if not self.policy.can_edit(self.acteur, obj):
            abort(403)
        return super().edit_view()

    @expose("/details/")
    def details_view(self):
        self._object_or_404(get_mdict_item_or_list(request.args, "id"))
        return super().details_view()

    @expose("/delete/", methods=("POST",))
    def delete_view(self):
        if not self.can_delete:
            abort(403)
        obj = self._object_or_404(request.form.get("id"))
        if not self.policy.can_delete(self.acteur, obj):
            abort(403)
        return super().delete_view()

    @expose("/export/<export_type>/")
    def export(self, export_type):
        """The list as filtered and sorted on screen, read 500 rows at a time."""
        if not self.can_export:
            abort(403)
        if export_type not in ("xlsx", "csv"):
            abort(404)
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        _count, query = self.get_list(None, sort[0] if sort else None, view_args.sort_desc,
                                      view_args.search, view_args.filters, execute=False,
                                      page_size=0)
        if export_type == "csv":
            return self._csv_response(query)
        return self._xlsx_response(query)

    @action("delete", "Supprimer", "Voulez-vous vraiment supprimer les lignes sélectionnées ?")
    def action_delete(self, ids):
        """Flask-Admin's, with its confirmation in the project's French."""
        return super().action_delete(ids)

    @action("export_xlsx", "Exporter la sélection (Excel)")
    def action_export_xlsx(self, ids):
        if not self.can_export:
            abort(403)
        query = self.get_query().filter(self.model.id.in_([parse_id(i) for i in ids]))
        return self._xlsx_response(query)

    def _export_rows(self, query):
        columns = list(self._export_columns)
        headers = [str(label) for _name, label in columns]
        rows = ([self.get_export_value(obj, name) for name, _label in columns]
                for obj in query.yield_per(500))
        return headers, rows

    def _csv_response(self, query):
        """Formula-like cells neutralised (``csv_export``)."""
        headers, rows = self._export_rows(query)
        return self._download(csv_export.stream(headers, rows), "text/csv", "csv")

    def _xlsx_response(self, query):
        """The scoped query written into a workbook."""
        def build(wb):
            headers, rows = self._export_rows(query)
            ws = wb.add_worksheet(str(self.name)[:31])
            xlsx.write_table(ws, xlsx.Formats(wb), [(h, 22) for h in headers], rows)

        return self._download(xlsx.stream(build), XLSX_MIME, "xlsx")

    def _download(self, chunks, mimetype: str, ext: str) -> Response:
        response = Response(stream_with_context(chunks), mimetype=mimetype)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{self.endpoint}-{date.today():%Y%m%d}.{ext}"')
        return response

    def on_model_change(self, form, model, is_created):
        """Re-check ownership on write: the form must not move a row out of scope."""
        if is_created:
            allowed = self.policy.can_create(self.acteur)
        else:
            allowed = self.policy.can_edit(self.acteur, model)
        if not allowed:
            raise ValidationError("Vous n'avez pas le droit d'enregistrer cet élément.")

    def on_model_delete(self, model):
        if not self.policy.can_delete(self.acteur, model):
            raise ValidationError("Vous n'avez pas le droit de supprimer cet élément.")



def full_text_search(kind, model, query, count_query, joins, count_joins, search):
    """A list's ``_apply_search`` through ``tet.recherche`` (``kind``: "audit",
    "collectivite"): nothing typed but punctuation leaves the list whole."""
    cond = recherche.condition(kind, model.id, search)
    if cond is None:
        return query, count_query, joins, count_joins
    return (query.filter(cond), count_query.filter(cond) if count_query is not None else None,
            joins, count_joins)
