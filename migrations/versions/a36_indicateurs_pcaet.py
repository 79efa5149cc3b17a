"""indicateurs réglementaires du PCAET — sources et secteurs du catalogue (issue 14)

Revision ID: a36_indicateurs_pcaet
Revises: a34_contenu_v2
"""
from alembic import op
import sqlalchemy as sa


revision = 'a36_indicateurs_pcaet'
down_revision = 'a34_contenu_v2'
branch_labels = None
depends_on = None

TEXTES = (('famille', 100), ('secteur', 100), ('vecteur', 100), ('filiere', 100),
          ('source', 300))


def upgrade():
    # added in place (no batch copy: dropping the copied table would cascade to the values
    # and links of every indicator); a literal default keeps SQLite's ALTER in place
    faux = sa.false() if op.get_bind().dialect.name == 'postgresql' else '0'
    for name, size in TEXTES:
        op.add_column('indicateur_definition', sa.Column(name, sa.String(size), nullable=True))
    op.add_column('indicateur_definition', sa.Column('reglementaire', sa.Boolean(),
                                                     nullable=False, server_default=faux))
    # the catalogue's filter by famille (its rows are reloaded by ``flask seed``)
    op.create_index('ix_indicateur_definition_famille', 'indicateur_definition', ['famille'])


def downgrade():
    op.drop_index('ix_indicateur_definition_famille', table_name='indicateur_definition')
    # in place on SQLite too (3.35+)
    for name in ('reglementaire',) + tuple(n for n, _s in reversed(TEXTES)):
        op.execute(f'ALTER TABLE indicateur_definition DROP COLUMN {name}')
