"""comptes vérifiés par e-mail, validation par le support

Revision ID: a11_comptes
Revises: a10_liens
"""
from alembic import op
import sqlalchemy as sa


revision = 'a11_comptes'
down_revision = 'a10_liens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verifie_le', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('fonction', sa.String(length=150), nullable=True))
    # Accounts that exist before this revision count as proven.
    op.execute(sa.text("UPDATE user_account SET email_verifie_le = CURRENT_TIMESTAMP"))
    for table in ('collectivite', 'membership'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('statut', sa.String(length=20), nullable=False,
                                          server_default='validee'))
            batch_op.create_index(batch_op.f(f'ix_{table}_statut'), ['statut'], unique=False)


def downgrade():
    for table in ('membership', 'collectivite'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_statut'))
            batch_op.drop_column('statut')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('fonction')
        batch_op.drop_column('email_verifie_le')
