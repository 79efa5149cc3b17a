"""Plan figures kept up to date on write (issue 10): tables derived from the placements, the
tree and the fiches, never edited by hand (tet/plans/agregats.py).

``sous_arbre_fiche``: a row per (axe, fiche filed at that axe or anywhere under it),
deduplicated, with the fiche's figures copied; the root axe's rows are the plan's fiches.
Its rows are recomputed by the service on each placement or tree change; the copied figures
follow the fiche by a trigger on ``fiche_action`` (any UPDATE, ORM or Core).

``sous_arbre_total`` (per axe, collectivité of the fiche, filed right there or not, statut)
and ``sous_arbre_compte`` (the root axes only, per collectivité, statut, priorité and month
of the date de fin) count the live rows: triggers on ``sous_arbre_fiche`` add or take 1 on
each row inserted, deleted or updated. A dashboard sums a few hundred counts instead of
reading 100,000 rows. Priorité '' and month '' stand for none (key columns).
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, event

from tet.extensions import db

sous_arbre_fiche = Table(
    "sous_arbre_fiche",
    db.metadata,
    Column("axe_id", ForeignKey("axe.id", ondelete="CASCADE"), primary_key=True),
    Column("fiche_id", ForeignKey("fiche_action.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
    Column("collectivite_id", Integer, nullable=False),  # the fiche's
    Column("racine", Boolean, nullable=False),    # the axe is the plan's root
    Column("ici", Boolean, nullable=False),       # filed right at this axe
    Column("vivante", Boolean, nullable=False),   # not in the corbeille
    Column("titre", String(300), nullable=False),
    Column("statut", String(20), nullable=False),
    Column("priorite", String(10)),
    Column("date_debut", Date),
    Column("date_fin", Date),
    Index("ix_sous_arbre_fiche_fiche_id", "fiche_id"),
    Index("ix_sous_arbre_fiche_ici", "axe_id", "ici", "vivante", "fiche_id"),
    Index("ix_sous_arbre_fiche_echeances", "axe_id", "vivante", "date_fin", "statut"),
    Index("ix_sous_arbre_fiche_plan", "plan_id", "vivante", "axe_id", "ici"),
    # the calendar: a plan's first and last dates (index seeks), the rows meeting a year
    Index("ix_sous_arbre_fiche_debuts", "axe_id", "vivante", "date_debut", "date_fin", "ici",
          "statut", "titre", "fiche_id"),
    Index("ix_sous_arbre_fiche_fins", "axe_id", "vivante", "date_fin", "date_debut"),
)

sous_arbre_total = Table(
    "sous_arbre_total",
    db.metadata,
    Column("axe_id", ForeignKey("axe.id", ondelete="CASCADE"), primary_key=True),
    Column("collectivite_id", Integer, primary_key=True),
    Column("ici", Boolean, primary_key=True),
    Column("statut", String(20), primary_key=True),
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("n", Integer, nullable=False),
)

sous_arbre_compte = Table(
    "sous_arbre_compte",
    db.metadata,
    Column("axe_id", ForeignKey("axe.id", ondelete="CASCADE"), primary_key=True),
    Column("collectivite_id", Integer, primary_key=True),
    Column("statut", String(20), primary_key=True),
    Column("priorite", String(10), primary_key=True),
    Column("echeance", String(7), primary_key=True),
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("n", Integer, nullable=False),
)

# --- triggers (the migration a24_agregats creates the same; ``create_all`` too) ----------

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


def _create_triggers(_target, connection, **_kw) -> None:
    if connection.dialect.name in _MOIS:
        for statement in ddl(connection.dialect.name):
            connection.exec_driver_sql(statement)


event.listen(db.metadata, "after_create", _create_triggers)
