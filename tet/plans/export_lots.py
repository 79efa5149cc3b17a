"""What the plan export shows of a batch of fiches, beyond their own columns: ONE Core query
per batch for every relationship (tags, pilotes, financeurs, budget, thématiques, notes,
référentiel, indicateurs, documents, fiches liées), a UNION ALL of one branch per relation
the plan uses; no ORM object per fiche. The batch's ids are bound once, as one array
(PostgreSQL) or one JSON text (SQLite ``json_each``): nothing to expand per id."""
from __future__ import annotations

import json
from operator import itemgetter

from sqlalchemy import (
    Date,
    Integer,
    Numeric,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from tet.extensions import db
from tet.plans.models import (
    Axe,
    BudgetLigne,
    Document,
    FicheAction,
    FicheFinanceur,
    FicheLien,
    NoteSuivi,
    Tag,
    Thematique,
)
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction
from tet.comptes.models import User
from tet.indicateurs.models import fiche_indicateur, fiche_referentiel
from tet.plans.models import fiche_axe, fiche_pilote_user, fiche_tag, fiche_thematique


VIDE: dict = {}  # the related values of a fiche that has none
TAG, PILOTE, FINANCEUR, BUDGET, THEME, NOTE, REFERENTIEL, INDICATEUR, DOCUMENT, LIEE = range(10)
LIEE_B = 10  # the links read from their other end


def _branch(code: int, fid, order, *values, num=None, day=None, lot=None):
    """(fid, relation, rank in the fiche, three texts, a number, a date) for one relation."""
    texts = list(values) + [cast(null(), String)] * (3 - len(values))
    rank = (func.row_number().over(partition_by=fid, order_by=order) if order is not None
            else literal_column("0", Integer))
    return select(fid.label("fid"), literal_column(str(code), Integer).label("rel"),
                  rank.label("k"), *texts,
                  num if num is not None else cast(null(), Numeric(14, 2)),
                  day if day is not None else cast(null(), Date)
                  ).where(fid.in_(select(lot.c.id)))


def _branches(lot) -> dict[int, object]:
    """One select per relation, keyed by its code, each restricted to the batch."""
    tg, pu, th = fiche_tag.c, fiche_pilote_user.c, fiche_thematique.c
    fr, fi, ff, bl = fiche_referentiel.c, fiche_indicateur.c, FicheFinanceur, BudgetLigne
    autre = FicheAction
    return {
        TAG: _branch(TAG, tg.fiche_id, Tag.id, Tag.kind, Tag.nom, lot=lot)
        .join(Tag, Tag.id == tg.tag_id),
        PILOTE: _branch(PILOTE, pu.fiche_id, User.id, User.prenom, User.nom, User.email,
                        lot=lot).join(User, User.id == pu.user_id),
        FINANCEUR: _branch(FINANCEUR, ff.fiche_id, ff.id, Tag.nom, num=ff.montant, lot=lot)
        .join(Tag, Tag.id == ff.tag_id),
        # the first total line, as the fiche page shows it
        BUDGET: _branch(BUDGET, bl.fiche_id, bl.id, num=bl.prevu, lot=lot)
        .where(bl.annee.is_(None), bl.unite == "eur_ht"),
        THEME: _branch(THEME, th.fiche_id, Thematique.id, Thematique.nom, lot=lot)
        .join(Thematique, Thematique.id == th.thematique_id),
        NOTE: _branch(NOTE, NoteSuivi.fiche_id, (NoteSuivi.date.desc(), NoteSuivi.id),
                      NoteSuivi.texte, day=NoteSuivi.date, lot=lot),
        REFERENTIEL: _branch(REFERENTIEL, fr.fiche_id, ReferentielAction.identifiant,
                             ReferentielAction.identifiant, lot=lot)
        .join(ReferentielAction, ReferentielAction.id == fr.action_id),
        INDICATEUR: _branch(INDICATEUR, fi.fiche_id,
                            (IndicateurDefinition.nom, IndicateurDefinition.id),
                            IndicateurDefinition.identifiant, IndicateurDefinition.nom,
                            lot=lot)
        .join(IndicateurDefinition, IndicateurDefinition.id == fi.definition_id),
        DOCUMENT: _branch(DOCUMENT, Document.fiche_id, Document.id, Document.nom, lot=lot),
        LIEE: _branch(LIEE, FicheLien.fiche_a_id, None, autre.titre, lot=lot)
        .join(autre, autre.id == FicheLien.fiche_b_id)
        .where(autre.deleted_at.is_(None), FicheLien.fiche_b_id != FicheLien.fiche_a_id),
        LIEE_B: _branch(LIEE, FicheLien.fiche_b_id, None, autre.titre, lot=lot)
        .join(autre, autre.id == FicheLien.fiche_a_id)
        .where(autre.deleted_at.is_(None), FicheLien.fiche_b_id != FicheLien.fiche_a_id),
    }


# the fiche column of each relation's table: what « the plan uses it » is checked on
_OWNERS = {TAG: fiche_tag.c.fiche_id, PILOTE: fiche_pilote_user.c.fiche_id,
           FINANCEUR: FicheFinanceur.fiche_id, BUDGET: BudgetLigne.fiche_id,
           THEME: fiche_thematique.c.fiche_id, NOTE: NoteSuivi.fiche_id,
           REFERENTIEL: fiche_referentiel.c.fiche_id, INDICATEUR: fiche_indicateur.c.fiche_id,
           DOCUMENT: Document.fiche_id, LIEE: FicheLien.fiche_a_id, LIEE_B: FicheLien.fiche_b_id}


def relations_of(plan_id: int) -> frozenset[int]:
    """The relations some fiche of the plan has, in one query (one EXISTS each): a batch
    never reads a relation the plan does not use."""
    in_plan = select(fiche_axe.c.fiche_id).join(Axe, Axe.id == fiche_axe.c.axe_id).where(
        Axe.plan_id == plan_id)
    postgres = db.session.get_bind().dialect.name == "postgresql"

    def used(owner):
        if postgres:  # a semi-join the planner sizes (0.1 s for 100,000 fiches, 0.5 s joined)
            return exists().where(owner.in_(in_plan))
        # SQLite would rebuild the IN list for each relation (15 s): walk the plan's fiches
        return exists().where(fiche_axe.c.fiche_id == owner, Axe.id == fiche_axe.c.axe_id,
                              Axe.plan_id == plan_id)
    codes = list(_OWNERS)
    row = db.session.execute(select(*(used(_OWNERS[c]) for c in codes))).one()
    return frozenset(c for c, present in zip(codes, row) if present)


def _lot():
    """The batch's ids as a one-column table from one bound value."""
    if db.session.get_bind().dialect.name == "postgresql":
        ids = func.unnest(bindparam("lot", type_=ARRAY(Integer)))
        return select(ids.label("id")).cte("lot")
    each = func.json_each(bindparam("lot", type_=String)).table_valued("value")
    return select(each.c.value.label("id")).cte("lot")


class Lecteur:
    """Reads the relations of batches of one plan's fiches, one query per batch."""

    def __init__(self, relations: frozenset[int]):
        lot = _lot()
        branches = [b for code, b in _branches(lot).items() if code in relations]
        self.query = union_all(*branches) if branches else None
        self.postgres = db.session.get_bind().dialect.name == "postgresql"

    def charger(self, ids: list[int]) -> dict[int, dict]:
        """{fiche id: its related values} for a batch of fiche ids (bounded by the batch
        size). Sparse, as a plan uses few relations (the national one: thématiques only):
        a tag kind (« service »…) → names, PILOTE, THEME, NOTE, REFERENTIEL, INDICATEUR,
        DOCUMENT, LIEE → texts, FINANCEUR → (nom, montant), BUDGET → the first total."""
        out: dict[int, dict] = {}
        if self.query is None or not ids:
            return out
        value = list(ids) if self.postgres else json.dumps(list(ids))
        rows = db.session.execute(self.query, {"lot": value}).all()
        rows.sort(key=itemgetter(1, 0, 2))
        for fid, rel, k, t1, t2, t3, num, day in rows:
            liens = out.get(fid)
            if liens is None:
                liens = out[fid] = {}
            if rel == TAG:
                key, value = t1, t2
            elif rel == PILOTE:
                key, value = rel, f"{t1} {t2}".strip() or t3  # User.nom_complet
            elif rel == FINANCEUR:
                key, value = rel, (t1, num)
            elif rel == BUDGET:
                if k == 1:  # the first total line, as the fiche page shows it
                    liens[BUDGET] = num
                continue
            elif rel == NOTE:
                key, value = rel, f"{day:%d/%m/%Y} : {t1}"
            elif rel == INDICATEUR:
                key, value = rel, t1 or t2
            else:
                key, value = rel, t1
            values = liens.get(key)
            if values is None:
                liens[key] = [value]
            else:
                values.append(value)
        for liens in out.values():
            if LIEE in liens:
                liens[LIEE].sort()
        return out
