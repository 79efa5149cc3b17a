"""What the plan export shows of a batch of fiches, beyond their own columns: one Core query
per relationship for the whole batch (tags, pilotes, financeurs, budget, thématiques, notes,
référentiel, indicateurs, documents, fiches liées), no ORM object per fiche."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Integer, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from tet.extensions import db
from tet.plans.models import (
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
from tet.plans.models import fiche_pilote_user, fiche_tag, fiche_thematique


@dataclass
class Liens:
    """The related values of one fiche, in the order the export writes them."""

    tags: dict[str, list[str]] = field(default_factory=dict)  # kind → names
    pilotes: list[str] = field(default_factory=list)
    financeurs: list[tuple] = field(default_factory=list)  # (nom, montant)
    budget: object = None
    budget_vu: bool = False
    thematiques: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    referentiel: list[str] = field(default_factory=list)
    indicateurs: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    liees: list[str] = field(default_factory=list)


VIDE = Liens()


def among(column, ids: list[int]):
    """``column IN ids`` for a batch: on PostgreSQL one array parameter (``= ANY``), as a list
    of a thousand casted parameters costs more to render and parse than to run."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("lot", list(ids), type_=ARRAY(Integer), unique=True))
    return column.in_(ids)


def _rows(query, ids):
    return db.session.execute(query.where(among(query.selected_columns[0], ids)))


def charger(ids: list[int]) -> dict[int, Liens]:
    """{fiche id: Liens} for a batch of fiche ids (bounded by the batch size)."""
    out: dict[int, Liens] = defaultdict(Liens)
    tg = fiche_tag.c
    for fid, kind, nom in _rows(select(tg.fiche_id, Tag.kind, Tag.nom).join(
            Tag, Tag.id == tg.tag_id).order_by(tg.fiche_id, Tag.id), ids):
        out[fid].tags.setdefault(kind, []).append(nom)
    pu = fiche_pilote_user.c
    for fid, prenom, nom, email in _rows(select(pu.fiche_id, User.prenom, User.nom, User.email)
                                         .join(User, User.id == pu.user_id)
                                         .order_by(pu.fiche_id, User.id), ids):
        out[fid].pilotes.append(f"{prenom} {nom}".strip() or email)  # User.nom_complet
    for fid, nom, montant in _rows(select(FicheFinanceur.fiche_id, Tag.nom, FicheFinanceur.montant)
                                   .join(Tag, Tag.id == FicheFinanceur.tag_id)
                                   .order_by(FicheFinanceur.fiche_id, FicheFinanceur.id), ids):
        out[fid].financeurs.append((nom, montant))
    for fid, prevu in _rows(select(BudgetLigne.fiche_id, BudgetLigne.prevu).where(
            BudgetLigne.annee.is_(None), BudgetLigne.unite == "eur_ht")
            .order_by(BudgetLigne.fiche_id, BudgetLigne.id), ids):
        liens = out[fid]
        if not liens.budget_vu:  # the first total line, as the fiche page shows it
            liens.budget, liens.budget_vu = prevu, True
    th = fiche_thematique.c
    for fid, nom in _rows(select(th.fiche_id, Thematique.nom).join(
            Thematique, Thematique.id == th.thematique_id).order_by(th.fiche_id, Thematique.id),
            ids):
        out[fid].thematiques.append(nom)
    for fid, jour, texte in _rows(select(NoteSuivi.fiche_id, NoteSuivi.date, NoteSuivi.texte)
                                  .order_by(NoteSuivi.fiche_id, NoteSuivi.date.desc(),
                                            NoteSuivi.id), ids):
        out[fid].notes.append(f"{jour:%d/%m/%Y} : {texte}")
    fr = fiche_referentiel.c
    for fid, ident in _rows(select(fr.fiche_id, ReferentielAction.identifiant).join(
            ReferentielAction, ReferentielAction.id == fr.action_id)
            .order_by(fr.fiche_id, ReferentielAction.identifiant), ids):
        out[fid].referentiel.append(ident)
    fi = fiche_indicateur.c
    for fid, ident, nom in _rows(select(fi.fiche_id, IndicateurDefinition.identifiant,
                                        IndicateurDefinition.nom)
                                 .join(IndicateurDefinition,
                                       IndicateurDefinition.id == fi.definition_id)
                                 .order_by(fi.fiche_id, IndicateurDefinition.nom,
                                           IndicateurDefinition.id), ids):
        out[fid].indicateurs.append(ident or nom)
    for fid, nom in _rows(select(Document.fiche_id, Document.nom)
                          .order_by(Document.fiche_id, Document.id), ids):
        out[fid].documents.append(nom)
    for fid, titres in linked_titles(set(ids)).items():
        out[fid].liees = sorted(titres)
    return out


def linked_titles(fiche_ids: set[int]) -> dict[int, list[str]]:
    """{fiche id: titles of its fiches liées} for a batch of fiches, in one query."""
    a, b = FicheLien.fiche_a_id, FicheLien.fiche_b_id
    rows = db.session.execute(
        select(a, b, FicheAction.id, FicheAction.titre).join(
            FicheAction, (FicheAction.id == a) | (FicheAction.id == b))
        .where(among(a, list(fiche_ids)) | among(b, list(fiche_ids)),
               FicheAction.deleted_at.is_(None)))
    result: dict[int, list[str]] = {}
    for fa, fb, other_id, titre in rows:
        for mine in (fa, fb):
            if mine in fiche_ids and other_id != mine and other_id in (fa, fb):
                result.setdefault(mine, []).append(titre)
    return result
