"""pages d'accueil par rôle, digest hebdomadaire (issue 12)

Revision ID: a30_accueil
Revises: a28_historique
"""
from alembic import op
import sqlalchemy as sa


revision = 'a30_accueil'
down_revision = 'a28_historique'
branch_labels = None
depends_on = None


def upgrade():
    # a literal default: SQLite then adds the column in place (an expression would make the
    # batch copy the table, whose drop cascades to every membership)
    faux = sa.false() if op.get_bind().dialect.name == 'postgresql' else '0'
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_desabonne', sa.Boolean(), nullable=False,
                                      server_default=faux))
        batch_op.add_column(sa.Column('digest_envoye_le', sa.Date(), nullable=True))
    # the home pages: a collectivité's latest entries, the latest imports and exports, an
    # attached collectivité's last activity (read on the index, not by sorting the log)
    op.create_index('ix_audit_log_collectivite_at', 'audit_log', ['collectivite_id', 'at'])
    op.create_index('ix_audit_log_action_at', 'audit_log', ['action', 'at'])


def downgrade():
    op.drop_index('ix_audit_log_action_at', table_name='audit_log')
    op.drop_index('ix_audit_log_collectivite_at', table_name='audit_log')
    # in place on SQLite too (3.35+): copying the table would cascade its drop to memberships
    for column in ('digest_envoye_le', 'digest_desabonne'):
        op.execute(f'ALTER TABLE user_account DROP COLUMN {column}')
