"""The maturity questionnaire of a collectivité: answers, index (through the pure
``maturite_score.score``), history snapshots, recommendations raised, niveau 2."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tet.extensions import db
from tet.maturite.models import (
    Categorie,
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    Snapshot,
    SuiviRecommandation,
)
from tet.comptes.models import Collectivite, User
from tet.colonnes import utcnow
from tet.maturite.models import RECO_STATUTS
from tet.maturite import indice as maturite_indice  # noqa: F401  (keeps IndiceCourant with the snapshots)
from tet.maturite import score as scoring
from tet import nombres
from tet import verrous
from tet.comptes.rattachement import active_for

ANSWERED = "__repondu__"  # marker for answered text / number questions


class MaturiteError(ValueError):
    """A refusal with a French message."""


def active_version() -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.active.is_(True)))


def thresholds():
    return current_app.config.get("MATURITE_SEUILS", scoring.DEFAULT_THRESHOLDS)


@dataclass
class Etat:
    """Everything the pages need, loaded in a fixed number of queries."""

    version: QuestionnaireVersion
    categories: list[Categorie]
    questions: list[Question]
    reponses: dict[int, Reponse]
    niveau2: bool
    score: scoring.Score = None  # computed from the rest

    def visible(self, question: Question) -> bool:
        """Shown to the collectivité: niveau allowed, and parent answered as required."""
        q = self._q[question.code]
        return scoring.in_scope(q, self._answers, self.niveau2)

    def __post_init__(self):
        codes = {c.id: c.code for c in self.categories}
        by_id = {q.id: q for q in self.questions}
        self._q = {q.code: to_q(q, codes[q.categorie_id], by_id) for q in self.questions}
        self._answers = answers_map(self.questions, self.reponses)
        self.score = scoring.score(list(self._q.values()), self._answers, self.niveau2,
                                   thresholds())


def to_q(question: Question, categorie_code: str, by_id: dict | None = None) -> scoring.Q:
    parent_code = None
    if question.parent_id is not None and by_id is not None:
        parent_code = by_id[question.parent_id].code
    return scoring.Q(question.code, question.niveau, categorie_code,
                     {o.code: o.points for o in question.options},
                     parent_code, question.parent_reponse)


def answers_map(questions: list[Question], reponses: dict[int, Reponse]) -> dict[str, str]:
    result = {}
    for q in questions:
        r = reponses.get(q.id)
        if r is None:
            continue
        if r.option_code:
            result[q.code] = r.option_code
        elif r.valeur_texte or r.valeur_nombre is not None:
            result[q.code] = ANSWERED
    return result


def load(collectivite: Collectivite, version: QuestionnaireVersion | None = None) -> Etat:
    from tet.maturite.versions import version_of

    version = version or version_of(collectivite.id)
    if version is None:
        raise MaturiteError("Aucun questionnaire n'est chargé (flask --app app seed).")
    categories = list(db.session.scalars(select(Categorie).where(
        Categorie.version_id == version.id).order_by(Categorie.ordre)
        .options(selectinload(Categorie.themes))))
    questions = list(db.session.scalars(select(Question).where(
        Question.version_id == version.id).order_by(Question.ordre, Question.id)
        .options(selectinload(Question.options), selectinload(Question.definitions))))
    reponses = {r.question_id: r for r in db.session.scalars(select(Reponse).where(
        Reponse.collectivite_id == collectivite.id,
        Reponse.question_id.in_([q.id for q in questions])))}
    return Etat(version, categories, questions, reponses, collectivite.niveau2_actif)


def compute(categories, questions, reponses, niveau2: bool) -> scoring.Score:
    """The score of answers that are not (yet) stored, e.g. to check a questionnaire."""
    return Etat(None, categories, questions, reponses, niveau2).score


def reponse_de(collectivite_id: int, question: Question) -> Reponse | None:
    return db.session.scalar(select(Reponse).where(
        Reponse.collectivite_id == collectivite_id, Reponse.question_id == question.id))


def _nombre(nombre):
    return nombres.parse_nombre(nombre, nombres.VALEUR_MAX)


def figee(question: Question, option_code=None, texte=None, nombre=None) -> list:
    """An answer as ``verrous.fige`` compares and shows it."""
    if question.type in ("oui_non", "choix"):
        libelle = next((o.libelle for o in question.options if o.code == option_code), None)
        return verrous.fige(option_code if libelle else None, libelle or "sans réponse")
    if question.type == "nombre":
        try:
            return verrous.fige(_nombre(nombre) if nombre not in (None, "") else None)
        except nombres.NombreInvalide:
            return verrous.fige(str(nombre))
    return verrous.fige(texte)


def figee_actuelle(question: Question, reponse: Reponse | None) -> list:
    if reponse is None:
        return verrous.fige(None, "sans réponse")
    return figee(question, reponse.option_code, reponse.valeur_texte, reponse.valeur_nombre)


def repondre(collectivite: Collectivite, question: Question, by: User,
             option_code: str | None = None, texte: str | None = None,
             nombre: str | None = None, version=verrous.LIBRE, at: datetime | None = None,
             historiser: bool = True) -> Reponse:
    """Record one answer (who and when) and append a snapshot of the index. ``version``: the
    one of the answer the form showed (0: none), checked first (``verrous.Perime``). ``at``
    and ``historiser=False`` (seeds): an explicit date, and no snapshot (the caller appends
    one after a set of answers)."""
    if question.niveau == 2 and not collectivite.niveau2_actif:
        raise MaturiteError("Le niveau 2 n'est pas activé pour cette collectivité.")
    reponse = reponse_de(collectivite.id, question)
    if reponse is None:
        reponse = Reponse(collectivite_id=collectivite.id, question_id=question.id)
        db.session.add(reponse)
    if question.type in ("oui_non", "choix"):
        if option_code not in {o.code for o in question.options}:
            raise MaturiteError("Choisissez une des réponses proposées.")
        reponse.option_code = option_code
    elif question.type == "nombre":
        try:
            reponse.valeur_nombre = _nombre(nombre)
        except nombres.NombreInvalide as exc:
            raise MaturiteError(str(exc)) from None
        if reponse.valeur_nombre is None:
            raise MaturiteError("Indiquez un nombre (exemple : 12 ou 3,5).")
    else:
        texte = (texte or "").strip()
        if not texte:
            raise MaturiteError("La réponse est vide.")
        reponse.valeur_texte = texte[:5000]
    verrous.verifier(None if reponse.id is None else reponse, version)  # after the checks
    reponse.user_id = by.id
    if at is not None:
        reponse.updated_at = at
    db.session.flush()
    if historiser:
        snapshot(collectivite, at=at)
    return reponse


def snapshot(collectivite: Collectivite, at: datetime | None = None,
             version: QuestionnaireVersion | None = None) -> Snapshot:
    """Append the current index to the history (``version``: default, the collectivité's)."""
    etat = load(collectivite, version)
    s = etat.score
    snap = Snapshot(collectivite_id=collectivite.id, version_id=etat.version.id, at=at or utcnow(),
                    niveau2=collectivite.niveau2_actif, indice=s.indice, lettre=s.letter,
                    progression=s.progression, officiel=s.officiel,
                    par_categorie={code: {"indice": p.indice, "progression": p.progression}
                                   for code, p in s.categories.items()})
    db.session.add(snap)
    db.session.flush()
    return snap


# --- niveau 2 ---------------------------------------------------------------------------

def set_niveau2(collectivite: Collectivite, active: bool, by: User) -> None:
    """Only while the collectivité's rattachement is accepted (checked here)."""
    ratt = active_for(collectivite.id)
    if active and (ratt is None or ratt.statut != "acceptee"):
        raise MaturiteError("Le niveau 2 ne s'active que pour une collectivité dont le "
                            "rattachement à un OPSN est accepté.")
    if collectivite.niveau2_actif != active:
        collectivite.niveau2_actif = active
        db.session.flush()
        snapshot(collectivite)


# --- recommendations --------------------------------------------------------------------

STATUTS = dict(RECO_STATUTS)


def recommandations(collectivite: Collectivite, etat: Etat | None = None):
    """(recommandation, suivi or None, raised by) for the gaps of the answers, plus the
    niveau 2 ones switched on by an OPSN and the free ones added for this collectivité."""
    etat = etat or load(collectivite)
    # the follow-up of this version's recommendations and of the free ones (not the one
    # left on an older version by a move, tet.maturite.passage)
    suivis = {s.recommandation_id: s for s in db.session.scalars(select(SuiviRecommandation)
              .join(Recommandation, Recommandation.id == SuiviRecommandation.recommandation_id)
              .where(SuiviRecommandation.collectivite_id == collectivite.id,
                     Recommandation.version_id.is_(None)
                     | (Recommandation.version_id == etat.version.id)))}
    raised: dict[int, list[Question]] = {}
    for q in etat.questions:
        if q.recommandation_id is None or not etat.visible(q):
            continue
        r = etat.reponses.get(q.id)
        best = max((o.points for o in q.options), default=0)
        if r is None or r.option_code is None or best == 0:
            continue
        chosen = next((o.points for o in q.options if o.code == r.option_code), 0)
        if chosen < best:
            raised.setdefault(q.recommandation_id, []).append(q)
    switched = {rid for rid, s in suivis.items() if s.active_par_opsn}
    ids = set(raised) | switched
    recos = list(db.session.scalars(select(Recommandation).where(
        (Recommandation.id.in_(ids)) | (Recommandation.collectivite_id == collectivite.id))))
    result = []
    for reco in recos:
        if reco.niveau_questionnaire == 2 and not (collectivite.niveau2_actif or
                                                    reco.id in switched or reco.collectivite_id):
            continue
        result.append((reco, suivis.get(reco.id), raised.get(reco.id, [])))
    return result


def set_statut(collectivite: Collectivite, reco: Recommandation, statut: str,
               by: User) -> SuiviRecommandation:
    if statut not in STATUTS:
        raise MaturiteError("Statut inconnu.")
    suivi = _suivi(collectivite, reco)
    suivi.statut = statut
    suivi.updated_by_id = by.id
    db.session.flush()
    return suivi


def _suivi(collectivite: Collectivite, reco: Recommandation) -> SuiviRecommandation:
    suivi = db.session.scalar(select(SuiviRecommandation).where(
        SuiviRecommandation.collectivite_id == collectivite.id,
        SuiviRecommandation.recommandation_id == reco.id))
    if suivi is None:
        suivi = SuiviRecommandation(collectivite_id=collectivite.id, recommandation_id=reco.id,
                                    statut="a_definir")
        db.session.add(suivi)
    return suivi


def switch_on(collectivite: Collectivite, reco: Recommandation, by: User) -> None:
    """An OPSN switches on a niveau 2 recommendation for one collectivité."""
    suivi = _suivi(collectivite, reco)
    suivi.active_par_opsn = True
    suivi.updated_by_id = by.id
    db.session.flush()


def add_free(collectivite: Collectivite, opsn_id: int | None, titre: str, corps: str,
             niveau: str) -> Recommandation:
    titre, corps = (titre or "").strip(), (corps or "").strip()
    if not titre or not corps:
        raise MaturiteError("Donnez un titre et un texte à la recommandation.")
    reco = Recommandation(collectivite_id=collectivite.id, opsn_id=opsn_id, titre=titre[:300],
                          corps=corps, niveau=niveau if niveau in
                          ("prioritaire", "recommande", "necessaire") else "recommande",
                          niveau_questionnaire=1)
    db.session.add(reco)
    db.session.flush()
    return reco


def latest_snapshots(collectivite_ids=None, officiel_only: bool = False):
    """The latest snapshot of each collectivité, in one query."""
    last = select(Snapshot.collectivite_id, func.max(Snapshot.id).label("sid"))
    if officiel_only:
        last = last.where(Snapshot.officiel.is_(True))
    if collectivite_ids is not None:
        last = last.where(Snapshot.collectivite_id.in_(list(collectivite_ids)))
    last = last.group_by(Snapshot.collectivite_id).subquery()
    return {s.collectivite_id: s for s in db.session.scalars(
        select(Snapshot).join(last, last.c.sid == Snapshot.id))}
