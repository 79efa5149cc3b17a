"""verrouillage optimiste (colonnes de version)

Revision ID: a14_verrous
Revises: a12_sessions
"""
from alembic import op
import sqlalchemy as sa


revision = 'a14_verrous'
down_revision = 'a12_sessions'
branch_labels = None
depends_on = None

# The rows people edit: a version column (SQLAlchemy's version_id_col), 1 for existing rows.
# A plain string default keeps SQLite on ALTER TABLE ADD COLUMN: an SQL expression would make
# the batch recreate the table, and dropping the old one cascades to its children's rows.
TABLES = ("fiche_action", "plan", "axe", "indicateur_valeur", "mat_reponse", "collectivite")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                          server_default="1"))


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(TABLES):
        if sqlite:  # SQLite >= 3.35 drops a plain column in place (no table recreated)
            op.execute(f"ALTER TABLE {table} DROP COLUMN version")
            continue
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
