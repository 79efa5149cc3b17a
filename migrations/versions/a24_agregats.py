"""agrégats tenus à jour des plans

Revision ID: a24_agregats
Revises: a22_arbre

``sous_arbre_fiche`` (a row per axe and fiche filed at that axe or under it, deduplicated,
with the fiche's figures), ``sous_arbre_total`` and ``sous_arbre_compte`` (their counts),
their triggers (tet/plans/agregats_tables.py), backfilled here by the same recursive climb as
``plan_agregats.rebuild``; two indexes for a collectivité's figures.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a24_agregats'
down_revision = 'a22_arbre'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO sous_arbre_fiche (axe_id, fiche_id, plan_id, collectivite_id, racine, ici,
                              vivante, titre, statut, priorite, date_debut, date_fin)
WITH RECURSIVE montee (fiche_id, axe_id, ici) AS (
    SELECT fiche_id, axe_id, 1 FROM fiche_axe
    UNION ALL
    SELECT m.fiche_id, a.parent_id, 0 FROM montee m JOIN axe a ON a.id = m.axe_id
    WHERE a.parent_id IS NOT NULL
), paires AS (
    SELECT axe_id, fiche_id, max(ici) AS ici FROM montee GROUP BY axe_id, fiche_id
)
SELECT p.axe_id, p.fiche_id, a.plan_id, f.collectivite_id, a.parent_id IS NULL, p.ici = 1,
       f.deleted_at IS NULL, f.titre, f.statut, f.priorite, f.date_debut, f.date_fin
FROM paires p JOIN axe a ON a.id = p.axe_id JOIN fiche_action f ON f.id = p.fiche_id
"""
TOTAL = """
INSERT INTO sous_arbre_total (axe_id, collectivite_id, ici, statut, plan_id, n)
SELECT axe_id, collectivite_id, ici, statut, plan_id, count(*) FROM sous_arbre_fiche
WHERE vivante GROUP BY axe_id, collectivite_id, ici, statut, plan_id
"""
COMPTE = """
INSERT INTO sous_arbre_compte (axe_id, collectivite_id, statut, priorite, echeance, plan_id, n)
SELECT axe_id, collectivite_id, statut, coalesce(priorite, ''), coalesce({mois}, ''), plan_id,
       count(*) FROM sous_arbre_fiche s WHERE vivante AND racine
GROUP BY axe_id, collectivite_id, statut, coalesce(priorite, ''), coalesce({mois}, ''), plan_id
"""

# --- the triggers, as tet/plans/agregats_tables.py defines them at this revision ---------------

_COPIE = """UPDATE sous_arbre_fiche SET collectivite_id = NEW.collectivite_id,
    titre = NEW.titre, statut = NEW.statut, priorite = NEW.priorite,
    date_debut = NEW.date_debut, date_fin = NEW.date_fin, vivante = NEW.deleted_at IS NULL
WHERE fiche_id = NEW.id"""
_COPIE_QUAND = """AFTER UPDATE OF collectivite_id, titre, statut, priorite, date_debut, date_fin,
    deleted_at ON fiche_action FOR EACH ROW"""
_MOIS = {"sqlite": "strftime('%Y-%m', {r}.date_fin)",
         "postgresql": "to_char({r}.date_fin, 'YYYY-MM')"}


def _ajout(dialect: str) -> list[str]:
    mois = _MOIS[dialect].format(r="NEW")
    return [
        "INSERT INTO sous_arbre_total (axe_id, collectivite_id, ici, statut, plan_id, n) "
        "SELECT NEW.axe_id, NEW.collectivite_id, NEW.ici, NEW.statut, NEW.plan_id, 1 "
        "WHERE NEW.vivante ON CONFLICT (axe_id, collectivite_id, ici, statut) "
        "DO UPDATE SET n = sous_arbre_total.n + 1",
        "INSERT INTO sous_arbre_compte (axe_id, collectivite_id, statut, priorite, echeance, "
        "plan_id, n) SELECT NEW.axe_id, NEW.collectivite_id, NEW.statut, "
        f"coalesce(NEW.priorite, ''), coalesce({mois}, ''), NEW.plan_id, 1 "
        "WHERE NEW.vivante AND NEW.racine "
        "ON CONFLICT (axe_id, collectivite_id, statut, priorite, echeance) "
        "DO UPDATE SET n = sous_arbre_compte.n + 1",
    ]


def _retrait(dialect: str) -> list[str]:
    mois = _MOIS[dialect].format(r="OLD")
    return [
        "UPDATE sous_arbre_total SET n = n - 1 WHERE OLD.vivante AND axe_id = OLD.axe_id "
        "AND collectivite_id = OLD.collectivite_id AND ici = OLD.ici AND statut = OLD.statut",
        "UPDATE sous_arbre_compte SET n = n - 1 WHERE OLD.vivante AND OLD.racine "
        "AND axe_id = OLD.axe_id AND collectivite_id = OLD.collectivite_id "
        "AND statut = OLD.statut AND priorite = coalesce(OLD.priorite, '') "
        f"AND echeance = coalesce({mois}, '')",
    ]


def ddl(dialect: str) -> list[str]:
    """The triggers' statements for ``dialect`` ('sqlite' or 'postgresql')."""
    ajout, retrait = "; ".join(_ajout(dialect)), "; ".join(_retrait(dialect))
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER sous_arbre_fiche_copie {_COPIE_QUAND} BEGIN {_COPIE}; END",
            f"CREATE TRIGGER sous_arbre_compte_ajout AFTER INSERT ON sous_arbre_fiche "
            f"FOR EACH ROW BEGIN {ajout}; END",
            f"CREATE TRIGGER sous_arbre_compte_retrait AFTER DELETE ON sous_arbre_fiche "
            f"FOR EACH ROW BEGIN {retrait}; END",
            f"CREATE TRIGGER sous_arbre_compte_maj AFTER UPDATE ON sous_arbre_fiche "
            f"FOR EACH ROW BEGIN {retrait}; {ajout}; END",
        ]
    return [
        "CREATE FUNCTION sous_arbre_fiche_copie() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_COPIE}; RETURN NULL; END $$",
        f"CREATE TRIGGER sous_arbre_fiche_copie {_COPIE_QUAND} EXECUTE FUNCTION "
        "sous_arbre_fiche_copie()",
        "CREATE FUNCTION sous_arbre_compte() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {retrait}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {ajout}; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER sous_arbre_compte AFTER INSERT OR UPDATE OR DELETE "
        "ON sous_arbre_fiche FOR EACH ROW EXECUTE FUNCTION sous_arbre_compte()",
    ]



def _count_table(name: str, keys: list) -> None:
    op.create_table(
        name, sa.Column('axe_id', sa.Integer(), nullable=False), *keys,
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['axe_id'], ['axe.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('axe_id', *[k.name for k in keys]),
    )
    op.create_index(f'ix_{name}_plan_id', name, ['plan_id'])


def upgrade():
    op.create_table(
        'sous_arbre_fiche',
        sa.Column('axe_id', sa.Integer(), nullable=False),
        sa.Column('fiche_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('collectivite_id', sa.Integer(), nullable=False),
        sa.Column('racine', sa.Boolean(), nullable=False),
        sa.Column('ici', sa.Boolean(), nullable=False),
        sa.Column('vivante', sa.Boolean(), nullable=False),
        sa.Column('titre', sa.String(length=300), nullable=False),
        sa.Column('statut', sa.String(length=20), nullable=False),
        sa.Column('priorite', sa.String(length=10), nullable=True),
        sa.Column('date_debut', sa.Date(), nullable=True),
        sa.Column('date_fin', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['axe_id'], ['axe.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['fiche_id'], ['fiche_action.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('axe_id', 'fiche_id'),
    )
    _count_table('sous_arbre_total', [
        sa.Column('collectivite_id', sa.Integer(), nullable=False),
        sa.Column('ici', sa.Boolean(), nullable=False),
        sa.Column('statut', sa.String(length=20), nullable=False)])
    _count_table('sous_arbre_compte', [
        sa.Column('collectivite_id', sa.Integer(), nullable=False),
        sa.Column('statut', sa.String(length=20), nullable=False),
        sa.Column('priorite', sa.String(length=10), nullable=False),
        sa.Column('echeance', sa.String(length=7), nullable=False)])
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL)
    op.execute(TOTAL)
    op.execute(COMPTE.format(mois=_MOIS[dialect].format(r="s")))
    op.create_index('ix_sous_arbre_fiche_fiche_id', 'sous_arbre_fiche', ['fiche_id'])
    op.create_index('ix_sous_arbre_fiche_ici', 'sous_arbre_fiche',
                    ['axe_id', 'ici', 'vivante', 'fiche_id'])
    op.create_index('ix_sous_arbre_fiche_echeances', 'sous_arbre_fiche',
                    ['axe_id', 'vivante', 'date_fin', 'statut'])
    op.create_index('ix_sous_arbre_fiche_plan', 'sous_arbre_fiche',
                    ['plan_id', 'vivante', 'axe_id', 'ici'])
    op.create_index('ix_sous_arbre_fiche_debuts', 'sous_arbre_fiche',
                    ['axe_id', 'vivante', 'date_debut', 'date_fin', 'ici', 'statut', 'titre',
                     'fiche_id'])
    op.create_index('ix_sous_arbre_fiche_fins', 'sous_arbre_fiche',
                    ['axe_id', 'vivante', 'date_fin', 'date_debut'])
    live = sa.text('deleted_at IS NULL')
    op.create_index('ix_fiche_action_chiffres', 'fiche_action',
                    ['collectivite_id', 'statut', 'priorite', 'date_fin'],
                    sqlite_where=live, postgresql_where=live)
    op.create_index('ix_fiche_action_echeances', 'fiche_action',
                    ['collectivite_id', 'date_fin', 'statut'],
                    sqlite_where=live, postgresql_where=live)
    for statement in ddl(dialect):
        op.execute(statement)
    if dialect == 'postgresql':
        for table in ('sous_arbre_fiche', 'sous_arbre_total', 'sous_arbre_compte',
                      'fiche_action'):
            op.execute(f'ANALYZE {table}')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER sous_arbre_fiche_copie ON fiche_action')
        op.execute('DROP FUNCTION sous_arbre_fiche_copie()')
        op.execute('DROP TRIGGER sous_arbre_compte ON sous_arbre_fiche')
        op.execute('DROP FUNCTION sous_arbre_compte()')
    else:
        for name in ('sous_arbre_fiche_copie', 'sous_arbre_compte_ajout',
                     'sous_arbre_compte_retrait', 'sous_arbre_compte_maj'):
            op.execute(f'DROP TRIGGER {name}')
    op.drop_index('ix_fiche_action_echeances', table_name='fiche_action')
    op.drop_index('ix_fiche_action_chiffres', table_name='fiche_action')
    op.drop_table('sous_arbre_compte')
    op.drop_table('sous_arbre_total')
    op.drop_table('sous_arbre_fiche')
