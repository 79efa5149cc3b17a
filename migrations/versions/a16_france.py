"""référentiel des collectivités de France

Revision ID: a16_france
Revises: a14_verrous
"""
from alembic import op
import sqlalchemy as sa


revision = 'a16_france'
down_revision = 'a14_verrous'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('collectivite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=False,
                                      server_default='saisie'))
        batch_op.create_index(batch_op.f('ix_collectivite_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_collectivite_code_insee'), ['code_insee'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('collectivite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collectivite_code_insee'))
        batch_op.drop_index(batch_op.f('ix_collectivite_source'))
        batch_op.drop_column('source')
