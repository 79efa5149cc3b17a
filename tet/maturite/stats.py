"""Aggregates over many collectivités' current index (``IndiceCourant``, one row per
collectivité that started the questionnaire), in SQL: the OPSN space (its attached
collectivités, paged) and the national dashboard. Letters are those of the latest official
index; progression and category medians those of the latest snapshot."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from tet.extensions import db
from tet.maturite.models import Categorie, IndiceCategorie, IndiceCourant
from tet.comptes.models import Collectivite, Opsn
from tet.maturite.models import QuestionnaireVersion
from tet.comptes.demandes import Rattachement
from tet.comptes.models import TYPES_COLLECTIVITE_LABELS
from tet.comptes.permissions import attached_collectivites
from tet.maturite.benchmark import quantile
from tet.tri import tri_fr

LETTERS = ["A", "B", "C", "D", "E"]
BANDS = ["0–24 %", "25–49 %", "50–74 %", "75–100 %"]
PAGE = 50
TRIS = {"nom": "Nom", "note": "Note", "activite": "Dernière activité",
        "progression": "Progression"}
ETATS = {"": "Toutes", "non_commence": "Pas commencé", "en_cours": "Sans indice officiel",
         "officiel": "Avec indice officiel"}


def _within(query, column, collectivites):
    """``collectivites``: None (all) or a subquery of ids — never a list."""
    return query if collectivites is None else query.where(column.in_(collectivites))


def _band(progression):
    return case((progression < 25, 0), (progression < 50, 1), (progression < 75, 2), else_=3)


def aggregates(collectivites=None) -> dict:
    """Letters, progression bands, started count (one query) and medians per category."""
    i = IndiceCourant
    band = _band(i.progression)
    row = db.session.execute(_within(select(
        func.count(),
        *[func.sum(case((i.lettre_officielle == letter, 1), else_=0)) for letter in LETTERS],
        *[func.sum(case((band == k, 1), else_=0)) for k in range(len(BANDS))]),
        i.collectivite_id, collectivites)).one()
    n = len(LETTERS)
    return {"commencees": row[0],
            "letters": [(letter, row[1 + k] or 0) for k, letter in enumerate(LETTERS)],
            "progression": [(label, row[1 + n + k] or 0) for k, label in enumerate(BANDS)],
            "medians": medians(collectivites)}


def medians(collectivites=None) -> dict[str, float]:
    """Median of each category's index over the latest snapshots, read from SQL counts of
    each value per category (at most 101 rows each)."""
    c = IndiceCategorie
    counts = db.session.execute(_within(
        select(c.categorie_code, c.indice, func.count()).where(c.indice.is_not(None)),
        c.collectivite_id, collectivites)
        .group_by(c.categorie_code, c.indice).order_by(c.categorie_code, c.indice)).all()
    histograms: dict[str, list[tuple[int, int]]] = {}
    for code, indice, n in counts:
        histograms.setdefault(code, []).append((indice, n))
    names = _cat_names() if histograms else {}
    return {names.get(code, code): quantile(h, 2) for code, h in histograms.items()}


def _cat_names() -> dict[str, str]:
    """Category names of the active version (one query)."""
    return dict(db.session.execute(select(Categorie.code, Categorie.nom).join(
        QuestionnaireVersion, QuestionnaireVersion.id == Categorie.version_id)
        .where(QuestionnaireVersion.active.is_(True))).all())


# --- OPSN space -------------------------------------------------------------------------

@dataclass
class Page:
    rows: list  # (id, nom, niveau2_actif, IndiceCourant or None)
    total: int
    page: int  # from 0, as flask-admin's lists
    pages: int


def opsn_page(opsn_id: int, page: int = 0, tri: str = "nom", q: str = "",
              etat: str = "") -> Page:
    """One page of the attached collectivités with their current index, searched by name,
    filtered by state, sorted by name, letter, last activity or progression."""
    i = IndiceCourant
    query = (select(Collectivite.id, Collectivite.nom, Collectivite.niveau2_actif, i)
             .outerjoin(i, i.collectivite_id == Collectivite.id)
             .where(Collectivite.id.in_(attached_collectivites(opsn_id))))
    if q.strip():
        query = query.where(Collectivite.nom.icontains(q.strip(), autoescape=True))
    if etat == "non_commence":
        query = query.where(i.collectivite_id.is_(None))
    elif etat == "en_cours":
        query = query.where(i.collectivite_id.is_not(None), i.lettre_officielle.is_(None))
    elif etat == "officiel":
        query = query.where(i.lettre_officielle.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 0), pages - 1)
    order = {"note": [i.lettre_officielle.asc().nulls_last(), i.indice_officiel.desc()],
             "activite": [i.at.desc().nulls_last()],
             "progression": [i.progression.desc().nulls_last()]}.get(tri, [])
    rows = db.session.execute(query.order_by(*order, tri_fr(Collectivite.nom), Collectivite.id)
                              .limit(PAGE).offset(page * PAGE)).all()
    return Page([tuple(r) for r in rows], total, page, pages)


def opsn_overview(opsn_id: int) -> dict:
    attached = attached_collectivites(opsn_id)
    data = aggregates(attached)
    data["total"] = db.session.scalar(select(func.count()).select_from(attached.subquery()))
    return data


def pending_requests(opsn_id: int, limit: int = PAGE) -> tuple[list[Rattachement], int]:
    """The oldest ``limit`` requests waiting for the OPSN, and how many there are (one
    query: the count is a window over the same rows)."""
    rows = db.session.execute(
        select(Rattachement, func.count().over())
        .where(Rattachement.opsn_id == opsn_id, Rattachement.statut == "demandee")
        .options(joinedload(Rattachement.collectivite))
        .order_by(Rattachement.created_at, Rattachement.id).limit(limit)).all()
    return [r for r, _n in rows], (rows[0][1] if rows else 0)


# --- national ---------------------------------------------------------------------------

def national() -> dict:
    """Counted in SQL: the cost follows the questionnaires started (one index row each),
    not the history of snapshots."""
    data = aggregates()
    i = IndiceCourant
    by_type = db.session.execute(
        select(Collectivite.type, func.count(Collectivite.id), func.count(i.collectivite_id))
        .outerjoin(i, i.collectivite_id == Collectivite.id).group_by(Collectivite.type)).all()
    by_region = db.session.execute(
        select(Collectivite.region, func.count(), func.count(i.lettre_officielle))
        .select_from(i).join(Collectivite, Collectivite.id == i.collectivite_id)
        .group_by(Collectivite.region)).all()
    activity = db.session.execute(
        select(Opsn.nom, Rattachement.statut, func.count(Rattachement.id))
        .join(Rattachement, Rattachement.opsn_id == Opsn.id)
        .group_by(Opsn.nom, Rattachement.statut).order_by(tri_fr(Opsn.nom))).all()
    opsn: dict[str, Counter] = {}
    for nom, statut, n in activity:
        opsn.setdefault(nom, Counter())[statut] = n
    labels = {t: TYPES_COLLECTIVITE_LABELS.get(t, t) for t, _n, _s in by_type}
    data.update(
        by_type=sorted(((labels[t], n) for t, n, _s in by_type), key=lambda kv: -kv[1]),
        commencees_par_type={labels[t]: s for t, _n, s in by_type},
        by_region=sorted(((r or "Non renseignée", n, o) for r, n, o in by_region),
                         key=lambda row: -row[1]),
        opsn=opsn, total=sum(n for _t, n, _s in by_type))
    return data
