"""sessions révocables, sécurité en bordure

Revision ID: a12_sessions
Revises: a11_comptes
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'a12_sessions'
down_revision = 'a11_comptes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64),
                                      server_default='', nullable=False))
    # every existing account gets its own token (sessions opened before are ended)
    users = sa.table('user_account', sa.column('id', sa.Integer),
                     sa.column('session_token', sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(24)))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_token')
