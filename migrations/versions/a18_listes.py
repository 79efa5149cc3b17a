"""listes profondes (index, pagination)

Revision ID: a18_listes
Revises: a17_recherche

The fiche list of a collectivité (``WHERE collectivite_id = ? AND deleted_at IS NULL ORDER
BY titre, id``) reads a partial index (collectivite_id, titre, id) of the live fiches in its
order instead of sorting every fiche (PostgreSQL does not take ``deleted_at IS NULL`` as an
equality for the order: the condition must be the index's), and counts them from the foreign
key's index, which becomes (collectivite_id, deleted_at). The index on ``deleted_at``,
matched by 98 % of the rows when asked ``IS NULL``, keeps only the rows of the corbeille, and
the one on ``confidentiel`` only the confidential fiches (SQLite, without statistics, chose
these two and scanned nearly every fiche: the list, the déclinaison picker).
"""
from alembic import op
import sqlalchemy as sa


revision = 'a18_listes'
down_revision = 'a17_recherche'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
DELETED = sa.text("deleted_at IS NOT NULL")
CONFIDENTIAL = {"sqlite_where": sa.text("confidentiel IS 1"),
                "postgresql_where": sa.text("confidentiel")}


def upgrade():
    op.create_index("ix_fiche_action_liste", "fiche_action", ["collectivite_id", "titre", "id"],
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.drop_index("ix_fiche_action_collectivite_id", table_name="fiche_action")
    op.create_index("ix_fiche_action_collectivite_id", "fiche_action",
                    ["collectivite_id", "deleted_at"])
    op.drop_index("ix_fiche_action_deleted_at", table_name="fiche_action")
    op.create_index("ix_fiche_action_deleted_at", "fiche_action", ["deleted_at"],
                    sqlite_where=DELETED, postgresql_where=DELETED)
    op.drop_index("ix_fiche_action_confidentiel", table_name="fiche_action")
    op.create_index("ix_fiche_action_confidentiel", "fiche_action", ["confidentiel"],
                    **CONFIDENTIAL)
    _analyze()


def downgrade():
    op.drop_index("ix_fiche_action_confidentiel", table_name="fiche_action")
    op.create_index("ix_fiche_action_confidentiel", "fiche_action", ["confidentiel"])
    op.drop_index("ix_fiche_action_deleted_at", table_name="fiche_action")
    op.create_index("ix_fiche_action_deleted_at", "fiche_action", ["deleted_at"])
    op.drop_index("ix_fiche_action_collectivite_id", table_name="fiche_action")
    op.create_index("ix_fiche_action_collectivite_id", "fiche_action", ["collectivite_id"])
    op.drop_index("ix_fiche_action_liste", table_name="fiche_action")


def _analyze():
    """Fresh statistics for PostgreSQL's planner (autovacuum would get there later); SQLite
    keeps none unless asked and picks the index by its shape."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE fiche_action")
