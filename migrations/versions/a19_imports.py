"""imports en lots

Revision ID: a19_imports
Revises: a18_listes
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a19_imports'
down_revision = 'a18_listes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
