"""The Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tet.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": app.extensions["migrate"].configure_args[
                    "include_name"]})
            diff = compare_metadata(context, db.metadata)
    assert diff == [], f"schéma différent des migrations (flask db migrate ?) : {diff}"


def test_accounts_existing_before_a11_count_as_proven_and_validated(tmp_path):
    """The revision that requires a proven address keeps existing accounts working."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production-0123",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a11.sqlite3'}"})
    with app.app_context():
        upgrade(revision="a10_liens")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO user_account (id, email, prenom, nom, is_support, active, "
                "created_at) VALUES (1, 'ancien@tet.test', 'A', 'B', 0, 1, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO collectivite (id, nom, type, siren, niveau2_actif, created_at) "
                "VALUES (1, 'Ancienne', 'commune', '216700019', 0, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO membership (user_id, collectivite_id, niveau, created_at) "
                "VALUES (1, 1, 'admin', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT email_verifie_le FROM user_account")).scalar()
            assert conn.execute(text("SELECT statut FROM collectivite")).scalar() == "validee"
            assert conn.execute(text("SELECT statut FROM membership")).scalar() == "validee"
        downgrade(revision="a10_liens")  # and back
        db.session.remove()
        db.engine.dispose()
