"""listes profondes (index, pagination)

Revision ID: a18_listes
Revises: a17_recherche
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a18_listes'
down_revision = 'a17_recherche'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
