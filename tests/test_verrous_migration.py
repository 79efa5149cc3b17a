"""The version columns are added (and removed) in place: existing rows get version 1 and no
child row is lost (on SQLite a recreated parent table would cascade-delete them)."""
from __future__ import annotations

from sqlalchemy import text

from tet.extensions import db


def test_version_columns_keep_existing_rows(tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production-0123",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a14.sqlite3'}"})
    count = "SELECT (SELECT count(*) FROM membership) + (SELECT count(*) FROM fiche_axe)"
    with app.app_context():
        upgrade(revision="a12_sessions")
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO user_account (id, email, prenom, nom, is_support, active, "
                "created_at) VALUES (1, 'a@tet.test', 'A', 'B', 0, 1, CURRENT_TIMESTAMP)",
                "INSERT INTO collectivite (id, nom, type, siren, niveau2_actif, created_at) "
                "VALUES (1, 'Ancienne', 'commune', '216700019', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO membership (user_id, collectivite_id, niveau, created_at) "
                "VALUES (1, 1, 'admin', CURRENT_TIMESTAMP)",
                "INSERT INTO plan (id, collectivite_id, nom, type, confidentiel, created_at) "
                "VALUES (1, 1, 'P', 'autre', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO axe (id, plan_id, nom, position) VALUES (1, 1, 'P', 0)",
                "INSERT INTO fiche_action (id, collectivite_id, titre, statut, "
                "amelioration_continue, cibles, confidentiel, created_at) VALUES "
                "(1, 1, 'F', 'a_venir', 0, '[]', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO fiche_axe (fiche_id, axe_id) VALUES (1, 1)",
            ):
                conn.execute(text(sql))
        upgrade(revision="a14_verrous")
        with db.engine.connect() as conn:
            assert conn.execute(text(count)).scalar() == 2
            assert conn.execute(text("SELECT version FROM fiche_action")).scalar() == 1
            assert conn.execute(text("SELECT version FROM collectivite")).scalar() == 1
        downgrade(revision="a12_sessions")
        with db.engine.connect() as conn:
            assert conn.execute(text(count)).scalar() == 2
        db.session.remove()
        db.engine.dispose()
