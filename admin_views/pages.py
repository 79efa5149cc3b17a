"""Deep pages of the back-office lists (``tet.pagination``).

Every list is sorted by its sort column then by id (ties keep one order, page after page).
When that column belongs to the model and may carry a cursor, the « page suivante » and
« page précédente » links carry the key of the row they start after (``apres``) or end before
(``avant``), and a page asked by number is counted from the nearer end. ``?page=N`` alone
keeps answering the same rows; sorting, filters and search are applied before, untouched.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from sqlalchemy import inspect

from tet import pagination
from tet.tri import tri_texte

CURSORS = ("apres", "avant")


@dataclass
class Here:
    """The list being shown: its arguments, then its sort and the page read."""

    args: object
    sort: str | None = None
    page: pagination.Page | None = None


class KeysetPagesMixin:
    """For ``ScopedModelView`` (Flask-Admin's SQLAlchemy ``ModelView``)."""

    def _pk(self):
        keys = inspect(self.model).primary_key
        return getattr(self.model, keys[0].key) if len(keys) == 1 else None

    def _keyset_order(self, sort_column, sort_desc):
        """(name, order) of the list when a cursor can follow it, else None."""
        if sort_column is not None:
            fields = [(self._sortable_columns.get(sort_column),
                       self._sortable_joins.get(sort_column), sort_desc)]
        else:
            fields = list(self._get_default_order())
        pk = self._pk()
        if pk is None or len(fields) > 1:
            return None
        if not fields:
            return f"id:{int(bool(sort_desc))}", [(pk, bool(sort_desc))]
        field, joins, desc = fields[0]
        if joins or getattr(field, "class_", None) is not self.model \
                or not pagination.keyable(field):
            return None
        order = [(tri_texte(field), bool(desc))] + ([] if field is pk else [(pk, bool(desc))])
        return f"{field.key}:{int(bool(desc))}", order

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """Flask-Admin's order, then the id: rows of equal sort value keep one order."""
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        pk = self._pk()
        if pk is None:
            return query, joins
        if sort_column is None:  # the default order's direction
            sort_desc = next((d for _f, _j, d in self._get_default_order()), sort_desc)
        return query.order_by(pk.desc() if sort_desc else pk), joins

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        here = g.get("tet_liste")
        keyset = None
        if execute and page_size and here is not None and here.args is not None \
                and request.endpoint == f"{self.endpoint}.index_view":
            keyset = self._keyset_order(sort_column, sort_desc)
        if keyset is None:
            return super().get_list(page, sort_column, sort_desc, search, filters, execute,
                                    page_size)
        name, order = keyset
        count, query = super().get_list(None, sort_column, sort_desc, search, filters,
                                        execute=False, page_size=0)
        apres = pagination.decode(request.args.get("apres"), name, order)
        avant = None if apres else pagination.decode(request.args.get("avant"), name, order)
        here.sort, here.page = name, pagination.page(query, order, page or 0, page_size,
                                                     count, apres, avant)
        return count, here.page.rows

    def _list_args(self, args):
        """The list's arguments without a cursor (sort and filter links never carry one)."""
        for name in CURSORS:
            args.extra_args.pop(name, None)
        if request.endpoint == f"{self.endpoint}.index_view":
            g.tet_liste = Here(args.clone())
        return args

    def _get_list_url(self, view_args):
        """The link to the next or previous page of the same list carries its cursor."""
        url = super()._get_list_url(view_args)
        here = g.get("tet_liste")
        if here is None or here.page is None:
            return url
        current, target = here.args.page or 0, view_args.page or 0
        if url != super()._get_list_url(here.args.clone(page=view_args.page)):
            return url  # another sort, filter, search or page size
        sep = "&" if "?" in url else "?"
        if target == current + 1 and here.page.last is not None:
            return f"{url}{sep}apres={pagination.encode(here.sort, here.page.last)}"
        if target == current - 1 and target > 0 and here.page.first is not None:
            return f"{url}{sep}avant={pagination.encode(here.sort, here.page.first)}"
        return url
