"""sessions révocables, sécurité en bordure

Revision ID: a12_sessions
Revises: a11_comptes
"""
from alembic import op
import sqlalchemy as sa


revision = 'a12_sessions'
down_revision = 'a11_comptes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
