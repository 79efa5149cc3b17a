"""verrouillage optimiste (colonnes de version)

Revision ID: a14_verrous
Revises: a13_fichiers
"""
from alembic import op
import sqlalchemy as sa


revision = 'a14_verrous'
down_revision = 'a13_fichiers'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
