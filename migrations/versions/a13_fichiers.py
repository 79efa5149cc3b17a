"""fichiers hostiles (aperçus d'import bornés)

Revision ID: a13_fichiers
Revises: a12_sessions
"""
from alembic import op
import sqlalchemy as sa


revision = 'a13_fichiers'
down_revision = 'a12_sessions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
