"""The audit log page: its filters (object, person, dates, action) and one page of entries,
read by keyset on (at, id) from an already scoped query — a page costs what it shows (a
window of rows, the saves' counts, one query per kind of name), whatever the log holds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select

from tet import recherche
from tet.comptes.historique import Entree, cle_de, entrees
from tet.formats import PARIS
from tet.comptes.journal import ACTIONS_LABELS, OBJECT_LABELS, AuditLog
from tet.comptes.models import User
from tet.extensions import db
from tet.nombres import parse_date_parametre, parse_id

FENETRE = 400  # rows read per page
ENTREES = 30  # entries shown per page


@dataclass
class Filtres:
    type: str = ""
    objet: str = ""
    personne: str = ""
    du: date | None = None
    au: date | None = None
    action: str = ""
    erreurs: tuple = ()

    @classmethod
    def lire(cls, args) -> Filtres:
        """From the query string; a bad value is dropped with a French message."""
        erreurs = []

        def jour(name, label):
            return parse_date_parametre(
                args, name, erreurs, f"La date « {label} » n’est pas valide : elle est ignorée.")

        type_ = args.get("type") or ""
        action = args.get("action") or ""
        return cls(type=type_ if type_ in OBJECT_LABELS else "",
                   objet=(args.get("objet") or "").strip()[:200],
                   personne=(args.get("personne") or "").strip()[:200],
                   du=jour("du", "du"), au=jour("au", "au"),
                   action=action if action in ACTIONS_LABELS else "", erreurs=tuple(erreurs))

    @property
    def actifs(self) -> bool:
        return any((self.type, self.objet, self.personne, self.du, self.au, self.action))

    def conditions(self) -> list:
        conds = []
        if self.type:
            conds.append(AuditLog.object_type == self.type)
        if self.action:
            conds.append(AuditLog.action == self.action)
        if self.objet:
            ident = parse_id(self.objet.lstrip("n°").strip())
            if ident is not None:
                conds.append(AuditLog.object_id == ident)
            else:
                cond = recherche.condition("audit", AuditLog.id, self.objet)
                if cond is not None:
                    conds.append(cond)
        if self.personne:
            conds.append(_personne(self.personne))
        if self.du:
            conds.append(AuditLog.at >= _minuit(self.du))
        if self.au:
            conds.append(AuditLog.at < _minuit(self.au + timedelta(days=1)))
        return conds


def _semblable(col, texte: str):
    """``col`` contains ``texte`` ignoring case (SQLite lowers ASCII only: also as typed)."""
    motif = "%" + texte.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return or_(col.ilike(motif), col.like(motif))


def _personne(texte: str):
    """Rows by a person whose e-mail or name contains ``texte`` (a subquery, no id list)."""
    personnes = select(User.id).where(or_(
        _semblable(User.email, texte), _semblable(User.nom, texte),
        _semblable(User.prenom, texte), _semblable(User.prenom + " " + User.nom, texte)))
    return or_(_semblable(AuditLog.user_email, texte), AuditLog.user_id.in_(personnes))


def _minuit(day: date) -> datetime:
    return datetime.combine(day, time(), PARIS)


@dataclass
class Page:
    entrees: list[Entree]
    suite: str | None  # the cursor of the next page ("at|id"), None on the last one


def curseur(raw: str | None):
    """``"2026-03-03T10:00:00+00:00|42"`` → (datetime, id), None when absent or garbled."""
    try:
        at, ident = (raw or "").split("|")
        ident = parse_id(ident)
        return (datetime.fromisoformat(at), ident) if ident is not None else None
    except ValueError:
        return None


def page_journal(query, filtres: Filtres, apres=None, n: int = ENTREES,
                 versions_visibles=None) -> Page:
    """One page of entries from ``query`` (a scoped Query of AuditLog); the fiche versions
    shown are those ``versions_visibles`` (a condition on FicheVersion) lets through."""
    for cond in filtres.conditions():
        query = query.filter(cond)
    fenetre = query
    if apres is not None:
        at, ident = apres
        fenetre = query.filter(or_(AuditLog.at < at,
                                   and_(AuditLog.at == at, AuditLog.id < ident)))
    rows = fenetre.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(FENETRE).all()
    ordre: list[str] = []
    par_cle: dict[str, list] = {}
    for row in rows:
        cle = cle_de(row)
        if cle not in par_cle:
            ordre.append(cle)
            par_cle[cle] = []
        par_cle[cle].append(row)
    pleine = len(rows) == FENETRE
    if pleine and len(ordre) > 1:
        ordre.pop()  # the last save may go on beyond the window: on the next page
    suite = None
    if len(ordre) > n:
        ordre = ordre[:n]
        suite = True
    elif pleine:
        suite = True
    gardes = [r for cle in ordre for r in par_cle[cle]]
    if suite and gardes:
        last = min(gardes, key=lambda r: (r.at, r.id))
        suite = f"{last.at.isoformat()}|{last.id}"
    if not gardes:
        return Page([], None)
    # a constant number of queries per page: these two run even with nothing to find
    lots = [cle for cle in ordre if not cle.startswith("r")]
    totaux = dict(query.filter(AuditLog.lot.in_(lots)).with_entities(
        AuditLog.lot, func.count()).group_by(AuditLog.lot).all())
    versions = _versions(lots, gardes, versions_visibles)
    return Page(entrees(gardes, versions, totaux), suite or None)


def _versions(lots: list[str], rows, condition) -> list:
    """The versions of the fiches whose rows are shown (no other fiche's changes)."""
    fiches = {r.object_id for r in rows if r.object_type == "FicheAction"}
    from tet.plans.versions_fiche import FicheVersion

    query = select(FicheVersion).where(FicheVersion.lot.in_(lots),
                                       FicheVersion.fiche_id.in_(sorted(fiches)))
    if condition is not None:
        query = query.where(condition)
    return list(db.session.scalars(query.order_by(FicheVersion.id)))
