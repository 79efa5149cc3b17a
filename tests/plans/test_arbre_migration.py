"""a22_arbre gives every plan its one root axe back (the load data set had plans whose
top-level axes had no parent) and keeps fiche_axe rows through its index change."""
from __future__ import annotations

from sqlalchemy import text

from tet.extensions import db


def test_plans_without_one_root_get_one(tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production-0123",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a22.sqlite3'}"})
    with app.app_context():
        upgrade(revision="a20_indice")
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO collectivite (id, nom, type, siren, niveau2_actif, created_at) "
                "VALUES (1, 'Ancienne', 'commune', '216700019', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO plan (id, collectivite_id, nom, type, confidentiel, created_at) "
                "VALUES (1, 1, 'Sain', 'autre', 0, CURRENT_TIMESTAMP), "
                "(2, 1, 'Sans racine', 'autre', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO axe (id, plan_id, parent_id, nom, position) VALUES "
                "(1, 1, NULL, 'Sain', 0), (2, 1, 1, 'A', 0), "
                "(3, 2, NULL, '1. Premier', 0), (4, 2, NULL, '2. Second', 1), "
                "(5, 2, 3, '1.1', 0)",
                "INSERT INTO fiche_action (id, collectivite_id, titre, statut, "
                "amelioration_continue, cibles, confidentiel, created_at) VALUES "
                "(1, 1, 'F', 'a_venir', 0, '[]', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO fiche_axe (fiche_id, axe_id) VALUES (1, 5)",
            ):
                conn.execute(text(sql))
        upgrade(revision="a22_arbre")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, plan_id, parent_id, nom, position FROM axe "
                                     "ORDER BY id")).all()
            new_root = rows[-1]
            assert new_root[1:] == (2, None, "Sans racine", 0)
            assert [r[2] for r in rows[:5]] == [None, 1, new_root[0], new_root[0], 3]
            assert conn.execute(text("SELECT count(*) FROM fiche_axe")).scalar() == 1
        downgrade(revision="a20_indice")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM fiche_axe")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
