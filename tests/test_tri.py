"""French sorting under one collation name on both databases (tet/tri.py, migration a32):
É with E, case and accents second, « Œ » as « OE », numbers by value."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from tet.extensions import db
from tet.tri import cle, tri_fr

NOMS = ["Zèbre", "école", "Écouen", "Eaubonne", "Œuvre", "Oeuf", "ecole", "Ecole", "Éa",
        "Plan 10", "Plan 2", "abbaye", "Ährenfeld"]
ATTENDU = ["abbaye", "Ährenfeld", "Éa", "Eaubonne", "ecole", "Ecole", "école", "Écouen",
           "Oeuf", "Œuvre", "Plan 2", "Plan 10", "Zèbre"]


def test_python_key_sorts_as_french():
    shuffled = NOMS[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=cle) == ATTENDU


@pytest.fixture
def noms(app):
    table = Table("tmp_tri_fr", MetaData(), Column("id", Integer, primary_key=True),
                  Column("nom", String(50)))
    with app.app_context():
        table.create(db.engine)
        try:
            with db.engine.begin() as conn:
                conn.execute(insert(table), [{"nom": n} for n in NOMS])
            yield table
        finally:
            table.drop(db.engine)


def test_order_by_collation_in_the_database(app, noms):
    with app.app_context():
        rows = db.session.scalars(select(noms.c.nom).order_by(tri_fr(noms.c.nom), noms.c.id))
        assert list(rows) == ATTENDU, db.engine.dialect.name


def test_lists_sort_names_in_french_order(app, login_as):
    """The collectivités list (support), sorted by name: « Écouen » between « Eaubonne »
    and « Ézy », « école » with the e, not after « Zèbre »."""
    from tests import builders

    attendu = ["Eaubonne", "école de Lorraine", "Écouen", "Ézy", "Zèbre-sur-Mer"]
    with app.app_context():
        for nom in reversed(attendu):
            builders.collectivite(nom)
        db.session.commit()
    text = login_as("support").get("/admin/collectivite/?page_size=100").get_data(as_text=True)
    assert all(n in text for n in attendu)
    assert sorted(attendu, key=text.index) == attendu


def test_fiche_list_can_be_read_in_french_order_from_its_index(app):
    """PostgreSQL: the list's order is the index's order (no sort of a collectivité's
    fiches); SQLite's plan is checked in tests/test_listes.py."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("plan PostgreSQL")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off; SET enable_sort = off")
            plan = "\n".join(r[0] for r in conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM fiche_action WHERE collectivite_id = 1 AND deleted_at "
                "IS NULL AND titre COLLATE tet_fr > 'M' ORDER BY titre COLLATE tet_fr, id "
                "LIMIT 50"))
    assert "ix_fiche_action_liste_fr" in plan and "Sort" not in plan, plan
