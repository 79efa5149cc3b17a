"""A collectivité moves from the questionnaire version it answers under to the active one,
keeping every answer whose question did not change.

An answer is carried when the target version has a question of the same code, type and
text (and, for a child question, the same parent code and triggering answer, the parent's
answer being carried too); for a choice, the chosen option must exist in the target with
the same label. Text and number answers are carried on the question alone.

The answers to the old version stay (history). A carried answer is the same answer given
again: its copy keeps who gave it and when (``updated_at`` of the original), the move itself
being dated by the snapshot it appends on the target version and by its audit entry (one
lot). The follow-up of recommendations (status, fiche action, switch of the OPSN) is carried
by recommendation code. The collectivité's version is the one of its latest snapshot
(``versions.version_of``): after the move, the target's, even when nothing was carried.

The preview runs a fixed number of queries whatever the number of questions."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tet.extensions import db
from tet.comptes.audit import acting_as
from tet.comptes.models import Collectivite, User
from tet.maturite.models import (
    Categorie,
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    SuiviRecommandation,
)
from tet.maturite import questionnaire as maturite
from tet.maturite import score as scoring
from tet.maturite.versions import version_of

RAISONS = {
    "retiree": "question retirée",
    "type": "type de réponse modifié",
    "texte": "texte de la question modifié",
    "option": "réponse choisie retirée ou renommée",
    "parent": "question parente modifiée ou non reprise",
}

SANS_REPONSE = "sans réponse jusqu'ici"


class PassageError(ValueError):
    """A refused move (French message)."""


@dataclass
class AReprendre:
    """A question of the target to answer (again) after the move."""

    question: Question
    raison: str  # « nouvelle question », or why the old answer is not carried


@dataclass
class Apercu:
    collectivite: Collectivite
    source: QuestionnaireVersion | None
    cible: QuestionnaireVersion | None
    reprises: dict[int, Reponse] = field(default_factory=dict)  # target question id → answer
    non_reprises: list[tuple[Question, str]] = field(default_factory=list)  # old question, why
    a_completer: dict[Categorie, list[AReprendre]] = field(default_factory=dict)
    avant: scoring.Score | None = None
    apres: scoring.Score | None = None
    jeton: str = ""  # the state of the answers the preview was computed on

    @property
    def utile(self) -> bool:
        """A newer version is active: the move is possible."""
        return (self.source is not None and self.cible is not None
                and self.source.id != self.cible.id and self.cible.numero > self.source.numero)

    @property
    def n_a_completer(self) -> int:
        return sum(len(v) for v in self.a_completer.values())

    @property
    def n_modifiees(self) -> int:
        """Of those, the new or changed questions (the others were not answered before)."""
        return sum(1 for v in self.a_completer.values() for item in v
                   if item.raison != SANS_REPONSE)


def _questions(version_id: int) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.version_id == version_id)
                                   .order_by(Question.ordre, Question.id)
                                   .options(selectinload(Question.options))))


def _raison(old: Question, new: Question | None, reponse: Reponse, carried: set[str],
            codes_old: dict[int, Question], codes_new: dict[int, Question]) -> str | None:
    """Why the answer to ``old`` is not carried to ``new`` (None: it is)."""
    if new is None:
        return "retiree"
    if new.type != old.type:
        return "type"
    if new.texte != old.texte:
        return "texte"
    parent_old = codes_old[old.parent_id].code if old.parent_id in codes_old else None
    parent_new = codes_new[new.parent_id].code if new.parent_id in codes_new else None
    if (parent_old, old.parent_reponse) != (parent_new, new.parent_reponse) or (
            parent_old is not None and parent_old not in carried):
        return "parent"
    if old.type in ("oui_non", "choix"):
        libelle = {o.code: o.libelle for o in old.options}.get(reponse.option_code)
        if libelle is None or {o.code: o.libelle for o in new.options}.get(
                reponse.option_code) != libelle:
            return "option"
    return None


def _jeton(reponses: list[Reponse]) -> str:
    """A digest of the answers (ids and versions): changed by any answer since the preview."""
    raw = ",".join(f"{r.id}:{r.version}" for r in sorted(reponses, key=lambda r: r.id))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def apercu(collectivite: Collectivite) -> Apercu:
    """What the move to the active version would keep and what would be asked again."""
    source = version_of(collectivite.id)
    cible = maturite.active_version()
    result = Apercu(collectivite, source, cible)
    if not result.utile:
        return result
    olds, news = _questions(source.id), _questions(cible.id)
    by_id_old, by_id_new = {q.id: q for q in olds}, {q.id: q for q in news}
    new_by_code = {q.code: q for q in news}
    reponses = list(db.session.scalars(select(Reponse).join(
        Question, Question.id == Reponse.question_id).where(
        Reponse.collectivite_id == collectivite.id, Question.version_id == source.id)))
    result.jeton = _jeton(reponses)
    by_question = {r.question_id: r for r in reponses}
    carried: set[str] = set()
    why_not: dict[str, str] = {}
    for old in _parents_first(olds, by_id_old):
        reponse = by_question.get(old.id)
        if reponse is None:
            continue
        new = new_by_code.get(old.code)
        raison = _raison(old, new, reponse, carried, by_id_old, by_id_new)
        if raison is None:
            carried.add(old.code)
            result.reprises[new.id] = reponse
        else:
            why_not[old.code] = raison
            result.non_reprises.append((old, RAISONS[raison]))
    categories, old_categories = (list(db.session.scalars(select(Categorie).where(
        Categorie.version_id == v.id).order_by(Categorie.ordre))) for v in (cible, source))
    niveau2 = collectivite.niveau2_actif
    result.avant = maturite.compute(old_categories, olds, by_question, niveau2)
    result.apres = maturite.compute(categories, news, result.reprises, niveau2)
    cat_codes = {c.id: c.code for c in categories}
    answers = maturite.answers_map(news, result.reprises)
    q_new = {q.code: maturite.to_q(q, cat_codes[q.categorie_id], by_id_new) for q in news}
    by_cat: dict[int, list[AReprendre]] = {c.id: [] for c in categories}
    old_codes = {q.code for q in olds}
    for q in news:
        if q.id in result.reprises or not scoring.counted(q_new[q.code], q_new, answers,
                                                          niveau2):
            continue
        raison = RAISONS.get(why_not.get(q.code), "nouvelle question" if q.code not in
                             old_codes else SANS_REPONSE)
        by_cat[q.categorie_id].append(AReprendre(q, raison))
    result.a_completer = {c: by_cat[c.id] for c in categories if by_cat[c.id]}
    return result


def _parents_first(questions: list[Question], by_id: dict[int, Question]) -> list[Question]:
    """Questions ordered so that a parent comes before its children (any depth)."""
    def depth(q: Question) -> int:
        n, seen = 0, set()
        while q.parent_id in by_id and q.id not in seen:
            seen.add(q.id)
            q, n = by_id[q.parent_id], n + 1
        return n
    return sorted(questions, key=depth)


@dataclass
class Bilan:
    cible: QuestionnaireVersion | None
    reponses: int = 0
    suivis: int = 0
    deja: bool = False  # already on the target: nothing was written


def passer(collectivite: Collectivite, by: User | None, source_id: int | None = None,
           cible_id: int | None = None, jeton: str | None = None,
           at: datetime | None = None) -> Bilan:
    """Move to the active version (one audit lot). ``source_id``, ``cible_id`` and ``jeton``:
    what the confirmed preview showed; a change since refuses the move. A second call once
    moved writes nothing (``Bilan.deja``). ``at``: the date of the move (seeds)."""
    plan = apercu(collectivite)
    if plan.cible is not None and plan.source is not None and (
            plan.source.id == plan.cible.id or cible_id == plan.source.id):
        return Bilan(plan.source, deja=True)
    if not plan.utile:
        raise PassageError("Aucune version plus récente du questionnaire n'est active.")
    if (source_id is not None and source_id != plan.source.id) or (
            cible_id is not None and cible_id != plan.cible.id) or (
            jeton is not None and jeton != plan.jeton):
        raise PassageError("Les réponses ou le questionnaire ont changé depuis l'aperçu : "
                           "vérifiez le nouvel aperçu avant de confirmer.")
    bilan = Bilan(plan.cible)
    with acting_as(by, context=f"Passage à la version {plan.cible.numero} du questionnaire"):
        existing = set(db.session.scalars(select(Reponse.question_id).join(
            Question, Question.id == Reponse.question_id).where(
            Reponse.collectivite_id == collectivite.id,
            Question.version_id == plan.cible.id)))
        for question_id, r in plan.reprises.items():
            if question_id in existing:
                continue
            db.session.add(Reponse(collectivite_id=collectivite.id, question_id=question_id,
                                   option_code=r.option_code, valeur_texte=r.valeur_texte,
                                   valeur_nombre=r.valeur_nombre, user_id=r.user_id,
                                   updated_at=r.updated_at))
            bilan.reponses += 1
        bilan.suivis = _suivis(collectivite, plan.source, plan.cible)
        db.session.flush()
        maturite.snapshot(collectivite, at=at, version=plan.cible)
    return bilan


def _suivis(collectivite: Collectivite, source, cible) -> int:
    """Copy the follow-up of the source's recommendations onto the target's of same code."""
    targets = {r.code: r.id for r in db.session.scalars(select(Recommandation).where(
        Recommandation.version_id == cible.id, Recommandation.code.is_not(None)))}
    mine = list(db.session.execute(select(SuiviRecommandation, Recommandation.code,
                                          Recommandation.version_id).join(
        Recommandation, Recommandation.id == SuiviRecommandation.recommandation_id).where(
        SuiviRecommandation.collectivite_id == collectivite.id,
        Recommandation.version_id.in_([source.id, cible.id]))))
    present = {s.recommandation_id for s, _code, _v in mine}
    n = 0
    for suivi, code, version_id in mine:
        target = targets.get(code)
        if version_id != source.id or target is None or target in present:
            continue
        db.session.add(SuiviRecommandation(
            collectivite_id=collectivite.id, recommandation_id=target, statut=suivi.statut,
            active_par_opsn=suivi.active_par_opsn, fiche_id=suivi.fiche_id,
            updated_at=suivi.updated_at, updated_by_id=suivi.updated_by_id))
        present.add(target)
        n += 1
    return n


def plus_recente(version: QuestionnaireVersion | None) -> QuestionnaireVersion | None:
    """The active version when it is newer than ``version`` (the banner), else None."""
    active = maturite.active_version()
    if version is None or active is None or active.numero <= version.numero:
        return None
    return active
