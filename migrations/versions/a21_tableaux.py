"""tableaux de bord et arbres agrégés en SQL

Revision ID: a21_tableaux
Revises: a20_indice
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a21_tableaux'
down_revision = 'a20_indice'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
