"""The fiches a collectivité member comes for: those they pilot, the late ones and the
échéances of the coming days — scoped by the fiche policy in the query, counted in SQL.

``bloc`` feeds the home page (three counts in one query, three short lists); ``page`` the
full lists it links to (« Mes fiches », « Échéances »), a page at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, select

from tet.extensions import db
from tet.comptes.permissions import Acteur, policy_for
from tet.plans.models import FicheAction, fiche_pilote_user
from tet.plans.stats import DONE, DROPPED, late_condition

ECHEANCE_JOURS = 30
PAGE = 50
KINDS = ("mes", "echeances", "retard")


def pilotee_par(user_id: int):
    """Condition: the fiche is piloted by the user (an EXISTS on the link's primary key)."""
    return exists(select(fiche_pilote_user.c.fiche_id).where(
        fiche_pilote_user.c.fiche_id == FicheAction.id, fiche_pilote_user.c.user_id == user_id))


def a_echeance(today: date, jours: int = ECHEANCE_JOURS):
    """Condition: due from today to ``jours`` days ahead, neither réalisée nor abandonnée."""
    return and_(FicheAction.date_fin >= today, FicheAction.date_fin <= today + timedelta(jours),
                FicheAction.statut.not_in((DONE, DROPPED)))


def _scope(a: Acteur):
    """The acteur's fiches inside the collectivité it acts for (never support's « all »)."""
    cond = policy_for(FicheAction).condition(a)
    own = FicheAction.collectivite_id == a.collectivite_id
    return own if cond is None else and_(own, cond)


def _conditions(a: Acteur, kind: str, today: date):
    return {"mes": pilotee_par(a.user.id), "echeances": a_echeance(today),
            "retard": late_condition(today)}[kind]


def _order(kind: str):
    if kind == "mes":  # ongoing first, then by date de fin (none last)
        return (case((FicheAction.statut.in_((DONE, DROPPED)), 1), else_=0),
                FicheAction.date_fin.is_(None), FicheAction.date_fin, FicheAction.titre,
                FicheAction.id)
    return (FicheAction.date_fin, FicheAction.titre, FicheAction.id)


def _liste(a: Acteur, kind: str, today: date, limit: int, offset: int = 0):
    """(fiches, total): one query, the total a window over the same rows."""
    rows = db.session.execute(
        select(FicheAction, func.count().over())
        .where(_scope(a), _conditions(a, kind, today))
        .order_by(*_order(kind)).limit(limit).offset(offset)).all()
    return [f for f, _n in rows], (rows[0][1] if rows else 0)


@dataclass
class Bloc:
    mes: list
    mes_total: int
    retard: list
    retard_total: int
    echeances: list
    echeances_total: int
    today: date
    jours: int = ECHEANCE_JOURS


def bloc(a: Acteur, today: date, shown: int) -> Bloc:
    """The three lists of the home page, ``shown`` rows each, with their totals."""
    lists = {kind: _liste(a, kind, today, shown) for kind in KINDS}
    return Bloc(*lists["mes"], *lists["retard"], *lists["echeances"], today=today)


@dataclass
class Page:
    kind: str
    fiches: list
    total: int
    page: int  # from 1
    pages: int


def page(a: Acteur, kind: str, numero: int, today: date | None = None) -> Page:
    """A page of one of the lists (an offset page: they are as long as a person's fiches or
    a month of échéances, not the whole collectivité)."""
    today = today or date.today()
    numero = max(1, numero)
    fiches, total = _liste(a, kind, today, PAGE, (numero - 1) * PAGE)
    if not fiches and numero > 1:  # past the end (a list that shrank): its last page
        total = db.session.scalar(select(func.count(FicheAction.id)).where(
            _scope(a), _conditions(a, kind, today))) or 0
        numero = max(1, -(-total // PAGE))
        fiches, total = _liste(a, kind, today, PAGE, (numero - 1) * PAGE)
    return Page(kind, fiches, total, numero, max(1, -(-total // PAGE)))
