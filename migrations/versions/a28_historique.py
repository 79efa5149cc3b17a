"""historique lisible : lots d'enregistrement, restauration (issue 12)

``audit_log.lot``: the changeset (one request, one command, one ``acting_as`` block) a row
belongs to; rows written before this revision keep NULL and are shown one entry per row.
``fiche_version``: what a fiche was (fields, links, places) after each save that changed it,
for its history and its restore. Nothing to backfill: a fiche's first version is written at
its next save (the trail before that has no state to restore).

Revision ID: a28_historique
Revises: a26_projets
"""
from alembic import op
import sqlalchemy as sa


revision = 'a28_historique'
down_revision = 'a26_projets'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("lot", sa.String(36), nullable=True))
        batch.create_index("ix_audit_log_lot", ["lot"])
    op.create_table(
        "fiche_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fiche_id", sa.Integer(),
                  sa.ForeignKey("fiche_action.id", ondelete="CASCADE"), nullable=False),
        sa.Column("collectivite_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.String(36), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_email", sa.String(254), nullable=True),
        sa.Column("context", sa.String(300), nullable=True),
        sa.Column("etat", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
    )
    op.create_index("ix_fiche_version_fiche_id", "fiche_version", ["fiche_id", "id"])
    op.create_index("ix_fiche_version_lot", "fiche_version", ["lot"])
    op.create_index("ix_fiche_version_collectivite_id", "fiche_version", ["collectivite_id"])


def downgrade():
    op.drop_index("ix_fiche_version_collectivite_id", table_name="fiche_version")
    op.drop_index("ix_fiche_version_lot", table_name="fiche_version")
    op.drop_index("ix_fiche_version_fiche_id", table_name="fiche_version")
    op.drop_table("fiche_version")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_lot")
        batch.drop_column("lot")
