"""liens entre collectivités (supra / membres, déclinaisons consenties)

Déclinaisons: a statut (demandee / acceptee / refusee) and who asked / decided when. The
rows written before this revision were never consented by the member side: they become
requests (``demandee``), shown nowhere until the member accepts them.

Revision ID: a10_liens
Revises: 1ef0eec0b48c
"""
from alembic import op
import sqlalchemy as sa


revision = 'a10_liens'
down_revision = '1ef0eec0b48c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declinaison', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statut', sa.String(length=10),
                                      server_default='demandee', nullable=False))
        batch_op.add_column(sa.Column('demandee_par_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('demandee_le', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('decidee_par_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decidee_le', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_declinaison_statut'), ['statut'], unique=False)
        batch_op.create_index(batch_op.f('ix_declinaison_demandee_par_id'),
                              ['demandee_par_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declinaison_decidee_par_id'),
                              ['decidee_par_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_declinaison_demandee_par_id_user_account'), 'user_account',
            ['demandee_par_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            batch_op.f('fk_declinaison_decidee_par_id_user_account'), 'user_account',
            ['decidee_par_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('declinaison', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_declinaison_decidee_par_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_declinaison_demandee_par_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_declinaison_decidee_par_id'))
        batch_op.drop_index(batch_op.f('ix_declinaison_demandee_par_id'))
        batch_op.drop_index(batch_op.f('ix_declinaison_statut'))
        batch_op.drop_column('decidee_le')
        batch_op.drop_column('decidee_par_id')
        batch_op.drop_column('demandee_le')
        batch_op.drop_column('demandee_par_id')
        batch_op.drop_column('statut')
