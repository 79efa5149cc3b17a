"""The committee's notes: scoring a criterion, the evaluation's progress, a candidature's
score (``tet.projets.score``) and the ranking of a call (the same formula in SQL).

A member scores the eligible candidatures of its call (note among the matrix's options,
written justification) until the candidature is marked evaluated; it sees the others'
notes only once the meeting is open (``tet.projets.permissions``).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, select

from tet.extensions import db
from tet.projets import score
from tet.projets.commun import Refus, exiger, journal
from tet.projets.models import (
    AppelAProjets,
    Candidature,
    Critere,
    Dossier,
    Evaluation,
    Matrice,
    MembreComite,
    Organisation,
)
from tet.projets.permissions import membre_du_comite, voit_classement
from tet.verrous import LIBRE, verifier

JUSTIFICATION_MIN = 10


def options_of(matrice: Matrice) -> list[int]:
    return list(matrice.options or matrice.appel.options_notes)


def noter(a, cand: Candidature, critere: Critere, note, justification: str,
          version=LIBRE) -> Evaluation:
    """Record (or change) the acteur's note on one criterion, as a member of the call's
    committee; ``version``: the one of the evaluation being changed (optimistic lock)."""
    membre = membre_du_comite(a, cand.appel_id)
    exiger(membre is not None, "Seuls les membres du comité de cet appel notent ses dossiers.")
    exiger(cand.statut == "eligible",
           "Seuls les dossiers déclarés éligibles, pas encore évalués, se notent.")
    exiger(critere.matrice.appel_id == cand.appel_id, "Ce critère n'est pas celui de l'appel.")
    try:
        note = int(note)
    except (TypeError, ValueError):
        raise Refus("La note doit être un nombre entier.") from None
    options = options_of(critere.matrice)
    exiger(note in options, "La note doit être l'une des options : "
           + " / ".join(str(o) for o in sorted(options)) + ".")
    justification = (justification or "").strip()
    exiger(len(justification) >= JUSTIFICATION_MIN,
           f"Justifiez la note (au moins {JUSTIFICATION_MIN} caractères).")
    ev = db.session.scalar(select(Evaluation).where(
        Evaluation.candidature_id == cand.id, Evaluation.membre_id == membre.id,
        Evaluation.critere_id == critere.id))
    with journal(a, f"Évaluation de la candidature n°{cand.id}"):
        if ev is None:
            ev = Evaluation(candidature_id=cand.id, membre_id=membre.id,
                            critere_id=critere.id, note=note, justification=justification)
            db.session.add(ev)
        else:
            verifier(ev, version)
            ev.note, ev.justification = note, justification
        db.session.flush()
    return ev


@dataclass
class Progression:
    membres: int  # committee members with an account
    complets: int  # who scored every criterion of the call
    criteres: int

    @property
    def quorum(self) -> bool:
        """Strictly more than half of the members have scored everything."""
        return self.membres > 0 and 2 * self.complets > self.membres

    @property
    def tous(self) -> bool:
        return self.membres > 0 and self.complets == self.membres


def progression(cand: Candidature) -> Progression:
    """How far the committee is with a candidature (counts only, no note shown)."""
    criteres = db.session.scalar(select(func.count(Critere.id)).join(Matrice).where(
        Matrice.appel_id == cand.appel_id)) or 0
    membres = db.session.scalar(select(func.count(MembreComite.id)).where(
        MembreComite.appel_id == cand.appel_id, MembreComite.user_id.is_not(None))) or 0
    per_member = (select(Evaluation.membre_id)
                  .where(Evaluation.candidature_id == cand.id)
                  .group_by(Evaluation.membre_id)
                  .having(func.count(Evaluation.id) >= criteres).subquery())
    complets = db.session.scalar(select(func.count()).select_from(per_member)) or 0
    return Progression(membres, complets if criteres else 0, criteres)


def definitions(appel: AppelAProjets) -> list[score.MatriceDef]:
    return [score.MatriceDef(m.id, m.poids, tuple(options_of(m)),
                             tuple(score.CritereDef(c.id, c.poids, c.axe_id)
                                   for c in m.criteres))
            for m in appel.matrices]


def resultat(cand: Candidature, membre_id: int | None = None) -> score.Resultat:
    """The score of one candidature from every note (or only ``membre_id``'s); show it only
    to who may see them (``resultat_pour``)."""
    query = select(Evaluation.membre_id, Evaluation.critere_id, Evaluation.note).where(
        Evaluation.candidature_id == cand.id)
    if membre_id is not None:
        query = query.where(Evaluation.membre_id == membre_id)
    notes = {(m, c): n for m, c, n in db.session.execute(query)}
    return score.calculer(definitions(cand.appel), notes,
                          {x.id: x.part for x in cand.appel.axes})


def resultat_pour(a, cand: Candidature) -> score.Resultat | None:
    """What the acteur may see of the score: the committee's whole once the meeting is open
    (organiser, committee; support always), a member's own score before; else None."""
    if voit_classement(a, cand.appel):
        return resultat(cand)
    membre = membre_du_comite(a, cand.appel_id)
    return resultat(cand, membre.id) if membre is not None else None


def classement_pour(a, appel: AppelAProjets):
    """``classement`` for who may see it (``Refus`` for anyone else)."""
    exiger(voit_classement(a, appel), "Le classement se consulte en séance du comité.")
    return classement(appel)


def classement(appel: AppelAProjets):
    """The call's evaluated candidatures, best global score first, in SQL aggregates: one
    row per candidature with ``score`` (G), ``evaluateurs``, ``ecart`` (max − min of the
    members' G(m)) and ``variance`` (σ², σ = its square root), plus the titles."""
    mats = {m.id: options_of(m) for m in appel.matrices}
    if not mats:
        return []
    lo = case({i: min(o) for i, o in mats.items()}, value=Critere.matrice_id)
    span = case({i: max(o) - min(o) for i, o in mats.items()}, value=Critere.matrice_id)
    norm = literal(100.0) * (Evaluation.note - lo) / span
    s_mM = (select(Evaluation.candidature_id.label("cand"), Evaluation.membre_id.label("m"),
                   Critere.matrice_id.label("mat"),
                   (func.sum(Critere.poids * norm) / func.sum(Critere.poids)).label("s"))
            .join(Critere, Critere.id == Evaluation.critere_id)
            .join(Candidature, Candidature.id == Evaluation.candidature_id)
            .where(Candidature.appel_id == appel.id, Critere.poids > 0)
            .group_by(Evaluation.candidature_id, Evaluation.membre_id, Critere.matrice_id)
            .subquery())
    pond = lambda col: func.sum(Matrice.poids * col) / func.nullif(  # noqa: E731
        func.sum(Matrice.poids), 0)
    s_M = (select(s_mM.c.cand, s_mM.c.mat, func.avg(s_mM.c.s).label("s"))
           .group_by(s_mM.c.cand, s_mM.c.mat).subquery())
    g = (select(s_M.c.cand, pond(s_M.c.s).label("g"))
         .join(Matrice, Matrice.id == s_M.c.mat).group_by(s_M.c.cand).subquery())
    g_m = (select(s_mM.c.cand, s_mM.c.m, pond(s_mM.c.s).label("g"))
           .join(Matrice, Matrice.id == s_mM.c.mat).group_by(s_mM.c.cand, s_mM.c.m)
           .subquery())
    disp = (select(g_m.c.cand, func.count(g_m.c.m).label("n"),
                   (func.max(g_m.c.g) - func.min(g_m.c.g)).label("ecart"),
                   (func.avg(g_m.c.g * g_m.c.g) - func.avg(g_m.c.g) * func.avg(g_m.c.g))
                   .label("variance"))
            .group_by(g_m.c.cand).subquery())
    return db.session.execute(
        select(Candidature.id, Candidature.statut, Dossier.titre, Organisation.nom,
               g.c.g.label("score"), disp.c.n.label("evaluateurs"), disp.c.ecart,
               disp.c.variance)
        .join(Dossier, Dossier.id == Candidature.dossier_id)
        .join(Organisation, Organisation.id == Dossier.organisation_id)
        .join(g, g.c.cand == Candidature.id)
        .join(disp, and_(disp.c.cand == Candidature.id))
        .order_by(g.c.g.desc(), Candidature.id)).all()
