"""agrégats tenus à jour des plans

Revision ID: a24_agregats
Revises: a22_arbre
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a24_agregats'
down_revision = 'a22_arbre'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
