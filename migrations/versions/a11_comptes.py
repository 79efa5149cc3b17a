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
    pass


def downgrade():
    pass
