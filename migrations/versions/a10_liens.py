"""liens entre collectivités (supra / membres, déclinaisons consenties)

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
    pass


def downgrade():
    pass
