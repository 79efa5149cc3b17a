"""What the committee's pages read, scoped to the acteur (``tet.projets.permissions``): the
candidatures a member sees with its own progress, who evaluated what (counts only), the
notes one may see, the ranking of a call (``evaluation.classement`` in SQL, detailed per
matrix, axe and evaluator by ``score.calculer`` on the call's notes read in one query), the
votes, and the impact values waiting for the organiser. Never a note before the meeting
opens for anyone but its author.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import false, func, select

from tet.comptes.models import User
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets import evaluation, score
from tet.projets.models import (
    AppelAProjets,
    Candidature,
    Critere,
    Dossier,
    Evaluation,
    Impact,
    ImpactValeur,
    Matrice,
    MembreComite,
    Organisation,
    Vote,
)
from tet.tri import tri_fr
from tet.projets.permissions import (
    candidatures_visibles,
    evaluations_visibles,
    membre_du_comite,
    _notes_visibles,
)


LIMITE_VALEURS = 500  # a page of values to validate (the oldest first)


def _scoped(query, cond):
    return query if cond is None else query.where(cond)


def candidature(a, cand_id: int) -> Candidature | None:
    """The candidature when the acteur sees it (None: out of scope, answer 404)."""
    return db.session.scalar(_scoped(select(Candidature).where(Candidature.id == cand_id),
                                     candidatures_visibles(a)))


def appels_du_comite(a) -> list[AppelAProjets]:
    """The calls whose committee the acteur serves or runs: its call as a member; the
    organiser's published calls; every published call for support."""
    q = select(AppelAProjets).where(AppelAProjets.statut != "brouillon")
    if a.comite_appel_id:
        q = q.where(AppelAProjets.id == a.comite_appel_id)
    elif not a.is_support:
        q = q.where(AppelAProjets.collectivite_id == a.collectivite_id) if a.collectivite_id \
            else q.where(false())
    return list(db.session.scalars(q.order_by(AppelAProjets.annee.desc(), AppelAProjets.id)))


def nb_criteres(appel_id: int) -> int:
    return db.session.scalar(select(func.count(Critere.id)).join(Matrice).where(
        Matrice.appel_id == appel_id)) or 0


def membres(appel_id: int) -> list[tuple[int, str]]:
    """The seated members (with an account): (membre id, name), by name."""
    return [(i, f"{p} {n}".strip() or e) for i, p, n, e in db.session.execute(
        select(MembreComite.id, User.prenom, User.nom, User.email)
        .join(User, User.id == MembreComite.user_id)
        .where(MembreComite.appel_id == appel_id).order_by(tri_fr(User.nom), tri_fr(User.prenom)))]


@dataclass
class Ligne:
    """A candidature of the call as a list shows it (``notees``: criteria scored by the
    member viewing, or per member for the organiser)."""

    id: int
    statut: str
    titre: str
    organisation: str
    notees: int = 0
    par_membre: dict[int, int] = field(default_factory=dict)


def candidatures_de_l_appel(a, appel_id: int) -> list[Ligne]:
    """The call's candidatures the acteur sees (deposited at least once), with the number of
    criteria each member scored: for a member its own count only. Two queries."""
    rows = db.session.execute(_scoped(
        select(Candidature.id, Candidature.statut, Dossier.titre, Organisation.nom)
        .join(Dossier, Dossier.id == Candidature.dossier_id)
        .join(Organisation, Organisation.id == Dossier.organisation_id)
        .where(Candidature.appel_id == appel_id, Candidature.statut != "brouillon"),
        candidatures_visibles(a)).order_by(tri_fr(Dossier.titre), Candidature.id)).all()
    lignes = {r[0]: Ligne(*r) for r in rows}
    if not lignes:
        return []
    counts = (select(Evaluation.candidature_id, Evaluation.membre_id, func.count(Evaluation.id))
              .join(Candidature, Candidature.id == Evaluation.candidature_id)
              .where(Candidature.appel_id == appel_id)
              .group_by(Evaluation.candidature_id, Evaluation.membre_id))
    mine = membre_du_comite(a, appel_id) if a.comite_appel_id else None
    if a.comite_appel_id:
        counts = counts.where(Evaluation.membre_id == (mine.id if mine else -1))
    for cand_id, membre_id, n in db.session.execute(counts):
        if cand_id in lignes:
            lignes[cand_id].par_membre[membre_id] = n
            if mine is not None:
                lignes[cand_id].notees = n
    return list(lignes.values())


def notes_visibles(a, cand: Candidature) -> list[tuple[int, int, int, str, str]]:
    """(membre id, critère id, note, justification, member's name) of the candidature's
    notes the acteur may see: its own; the others' once the meeting is open."""
    return list(db.session.execute(_scoped(
        select(Evaluation.membre_id, Evaluation.critere_id, Evaluation.note,
               Evaluation.justification, func.coalesce(User.nom, ""))
        .join(MembreComite, MembreComite.id == Evaluation.membre_id)
        .outerjoin(User, User.id == MembreComite.user_id)
        .where(Evaluation.candidature_id == cand.id), evaluations_visibles(a))
        .order_by(Evaluation.critere_id, Evaluation.membre_id)))


def mes_evaluations(a, cand: Candidature) -> dict[int, Evaluation]:
    """The acteur's own evaluations of the candidature, by critère id."""
    membre = membre_du_comite(a, cand.appel_id)
    if membre is None:
        return {}
    return {e.critere_id: e for e in db.session.scalars(select(Evaluation).where(
        Evaluation.candidature_id == cand.id, Evaluation.membre_id == membre.id))}


def votes(a, cand: Candidature) -> list[tuple[str, str]]:
    """(member's name, choix) of the votes the acteur may see (the meeting's)."""
    return [(f"{p} {n}".strip(), c) for p, n, c in db.session.execute(_scoped(
        select(User.prenom, User.nom, Vote.choix)
        .join(MembreComite, MembreComite.id == Vote.membre_id)
        .join(User, User.id == MembreComite.user_id)
        .where(Vote.candidature_id == cand.id), _notes_visibles(a, Vote))
        .order_by(tri_fr(User.nom), tri_fr(User.prenom)))]


@dataclass
class Rang:
    """One candidature of the ranking: its SQL row and the detail of ``score.calculer``."""

    rang: int
    id: int
    statut: str
    titre: str
    organisation: str
    evaluateurs: int
    resultat: score.Resultat
    atypiques: list[str]


def classement(appel: AppelAProjets) -> list[Rang]:
    """The ranking (call ``permissions.voit_classement`` first): ``evaluation.classement``
    gives the order and the global score in SQL; the call's notes, read in one query, give
    each candidature's matrices, axes and spread. Three queries whatever the size."""
    rows = evaluation.classement(appel)
    if not rows:
        return []
    defs = evaluation.definitions(appel)
    notes: dict[int, dict] = {}
    for cand_id, m, c, n in db.session.execute(
            select(Evaluation.candidature_id, Evaluation.membre_id, Evaluation.critere_id,
                   Evaluation.note)
            .join(Candidature, Candidature.id == Evaluation.candidature_id)
            .where(Candidature.appel_id == appel.id)):
        notes.setdefault(cand_id, {})[m, c] = n
    noms = dict(membres(appel.id))
    parts = {x.id: x.part for x in appel.axes}
    rangs = []
    for i, r in enumerate(rows, start=1):
        res = score.calculer(defs, notes.get(r.id, {}), parts)
        rangs.append(Rang(i, r.id, r.statut, r.titre, r.nom, r.evaluateurs, res,
                          sorted(noms.get(m, "?") for m in res.atypiques)))
    return rangs


def valeurs_a_valider(a) -> list:
    """The impact values proposed by holders on the calls the acteur organises (support:
    every call), oldest first: rows (valeur, indicator's name, unit, dossier's title,
    candidature id, fiche id, call's title) in one query."""
    q = (select(ImpactValeur, IndicateurDefinition.nom, IndicateurDefinition.unite,
                Dossier.titre, Candidature.id, Candidature.fiche_id, AppelAProjets.titre)
         .join(Impact, Impact.id == ImpactValeur.impact_id)
         .join(IndicateurDefinition, IndicateurDefinition.id == Impact.definition_id)
         .join(Candidature, Candidature.id == Impact.candidature_id)
         .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
         .join(Dossier, Dossier.id == Candidature.dossier_id)
         .where(ImpactValeur.statut == "proposee")
         .order_by(ImpactValeur.id).limit(LIMITE_VALEURS))
    if not a.is_support:
        q = q.where(AppelAProjets.collectivite_id == (a.collectivite_id or -1))
    return list(db.session.execute(q))


def valeur_a_valider(a, valeur_id: int) -> ImpactValeur | None:
    """One impact value of a call the acteur organises (None: out of scope)."""
    q = (select(ImpactValeur).join(Impact, Impact.id == ImpactValeur.impact_id)
         .join(Candidature, Candidature.id == Impact.candidature_id)
         .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
         .where(ImpactValeur.id == valeur_id))
    if not a.is_support:
        q = q.where(AppelAProjets.collectivite_id == (a.collectivite_id or -1))
    return db.session.scalar(q)
