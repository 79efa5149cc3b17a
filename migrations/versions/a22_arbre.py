"""arbre des plans à l'échelle nationale

Revision ID: a22_arbre
Revises: a21_tableaux
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a22_arbre'
down_revision = 'a21_tableaux'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
