"""List pages run the same number of SQL queries whatever the number of rows (no N+1)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn


@contextmanager
def count_queries(app):
    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def _count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _grow(app, ids, n):
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        opsn = db.session.get(Opsn, ids["opsn"])
        for i in range(n):
            u = builders.user(f"agent{i}@val-demo.fr")
            builders.member(u, cc, "lecture")
            builders.opsn_member(u, opsn, "membre")
            c = builders.collectivite(f"Commune {i}", departement="67")
            builders.rattachement(c, opsn, "demandee" if i % 2 else "acceptee")
            builders.opsn(f"OPSN {i}", ["67", "68"])
        db.session.commit()


@pytest.mark.parametrize("who,url", [
    ("admin_cc", "/admin/membership/"),
    ("admin_cc", "/admin/user/"),
    ("support", "/admin/collectivite/"),
    ("support", "/admin/opsn/"),
    ("opsn_admin", "/admin/opsnmembership/"),
    ("opsn_admin", "/admin/rattachement/"),
    ("opsn_admin", "/admin/"),
    ("support", "/admin/auditlog/"),
    ("support", "/admin/"),
    ("admin_cc", "/admin/"),
    ("admin_cc", "/admin/demandeadhesion/"),
    ("admin_cc", "/admin/maturite/"),
    ("opsn_admin", "/admin/opsn-espace/"),
    ("support", "/admin/maturite-nationale/"),
])
def test_list_query_count_does_not_grow_with_rows(app, login_as, ids, who, url):
    client = login_as(who)
    with count_queries(app) as small:
        assert client.get(url).status_code == 200
    _grow(app, ids, 30)
    with count_queries(app) as big:
        assert client.get(url).status_code == 200
    assert big["n"] == small["n"], f"{url}: {small['n']} requêtes → {big['n']}"
