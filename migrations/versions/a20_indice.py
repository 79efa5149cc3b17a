"""indice de maturité courant par collectivité

Revision ID: a20_indice
Revises: a19_imports
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a20_indice'
down_revision = 'a19_imports'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
