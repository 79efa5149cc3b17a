"""Editing the questionnaire creates a new version: a full copy carrying the change (text,
help, priority, answer options and their points, recommendation).

Existing answers keep the version they were given under (domain.md): a collectivité that has
answered goes on answering, and is scored, with the questions and points of that version;
a collectivité with no answer yet starts on the active version. Answers given under the new
version score its points. A priority is the weight of the good answer(s): changing it alone
rescales the options' points to the new weight; points edited explicitly must reach it."""
from __future__ import annotations

from sqlalchemy import case, exists, func, select, update

from tet.extensions import db
from tet.maturite.models import (
    Categorie,
    Definition,
    IndiceCourant,
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    ReponseOption,
    Theme,
)
from tet.maturite.models import POIDS, PRIORITES, RECO_NIVEAUX
from tet.formats import pluriel

EDITABLE = ("texte", "aide", "priorite")


class VersionError(ValueError):
    """A refused edit (French message)."""


def version_of(collectivite_id: int) -> QuestionnaireVersion | None:
    """The version a collectivité answers under (one query): once it has answered, the one
    of its latest snapshot (each change of answers appends one, and so does the move to a
    newer version, ``tet.maturite.passage``), else of its latest answer; with no answer yet,
    the active one."""
    answered = (select(Question.version_id).join(Reponse, Reponse.question_id == Question.id)
                .where(Reponse.collectivite_id == collectivite_id)
                .order_by(Reponse.updated_at.desc(), Reponse.id.desc()).limit(1))
    pinned = select(IndiceCourant.version_id).where(
        IndiceCourant.collectivite_id == collectivite_id)
    has_answers = exists().where(Reponse.collectivite_id == collectivite_id)
    active = select(QuestionnaireVersion.id).where(QuestionnaireVersion.active.is_(True)) \
        .limit(1)
    own = case((has_answers, func.coalesce(pinned.scalar_subquery(),
                                           answered.scalar_subquery())))
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.id == func.coalesce(own, active.scalar_subquery())))


def rescale(points: dict[str, int], poids: int) -> dict[str, int]:
    """Points moved to a new weight of the best answer (rounded half up)."""
    best = max(points.values(), default=0)
    if best <= 0:
        return dict(points)
    return {code: (2 * p * poids + best) // (2 * best) for code, p in points.items()}


def check(question: Question, changes: dict) -> dict:
    """The edit of ``question`` validated and normalised, or a ``VersionError``.

    ``changes``: ``texte``, ``aide``, ``priorite``, ``options`` ({code: {"libelle",
    "points"}}) and ``recommandation`` ({"titre", "corps", "niveau"}), each optional."""
    fields = {k: (changes.get(k) or "").strip() for k in EDITABLE if k in changes}
    if "texte" in fields and not fields["texte"]:
        raise VersionError("Le texte de la question est obligatoire.")
    priorite = fields.get("priorite", question.priorite)
    if priorite not in POIDS:
        raise VersionError("Priorité inconnue.")
    old = {o.code: o.points for o in question.options}
    libelles = {o.code: o.libelle for o in question.options}
    points = dict(old)
    for code, posted in (changes.get("options") or {}).items():
        if code not in old:
            raise VersionError("Réponse inconnue pour cette question.")
        libelle = (posted.get("libelle") or "").strip()
        if not libelle or len(libelle) > 300:
            raise VersionError("Chaque réponse a un libellé (300 caractères au plus).")
        libelles[code] = libelle
        try:
            points[code] = int(str(posted.get("points", old[code])).strip())
        except ValueError:
            raise VersionError(f"Points de « {libelle} » : un nombre entier.") from None
    poids, label = POIDS[priorite], dict(PRIORITES)[priorite]
    if priorite != question.priorite and points == old:
        points = rescale(old, poids)
    if any(not 0 <= p <= poids for p in points.values()) or \
            max(points.values(), default=0) not in (0, poids):
        raise VersionError(f"Avec la priorité « {label} », la meilleure réponse vaut "
                           f"{pluriel(poids, 'point')} et les autres de 0 à {poids}.")
    fields.update(priorite=priorite, points=points, libelles=libelles,
                  recommandation=_check_reco(question, changes.get("recommandation")))
    return fields


def _check_reco(question: Question, posted: dict | None) -> dict | None:
    if not posted:
        return None
    reco = {k: (posted.get(k) or "").strip() for k in ("titre", "corps", "niveau")}
    if question.recommandation is None and not (reco["titre"] or reco["corps"]):
        return None  # no recommendation, none added
    if not reco["titre"] or not reco["corps"] or len(reco["titre"]) > 300:
        raise VersionError("La recommandation a un titre (300 caractères au plus) et un texte.")
    if reco["niveau"] not in dict(RECO_NIVEAUX):
        raise VersionError("Niveau de recommandation inconnu.")
    return reco


def unchanged(question: Question, edit: dict) -> bool:
    reco, current = edit["recommandation"], question.recommandation
    return (all(getattr(question, k) == (edit[k] or (None if k == "aide" else ""))
                for k in EDITABLE if k in edit)
            and edit["points"] == {o.code: o.points for o in question.options}
            and edit["libelles"] == {o.code: o.libelle for o in question.options}
            and (reco is None or (current is not None and
                                  (current.titre, current.corps, current.niveau) ==
                                  (reco["titre"], reco["corps"], reco["niveau"]))))


def new_version(source: QuestionnaireVersion, question_id: int, changes: dict,
                note: str | None = None) -> QuestionnaireVersion:
    """Copy ``source`` into a new active version, with ``changes`` on one question."""
    question = db.session.scalar(select(Question).where(
        Question.id == question_id, Question.version_id == source.id))
    if question is None:
        raise VersionError("Cette question n'appartient pas à la version modifiée.")
    edit = check(question, changes)
    if unchanged(question, edit):
        raise VersionError("Aucune modification : aucune nouvelle version n'est créée.")
    version = QuestionnaireVersion(numero=numero_libre(), note=note)
    db.session.add(version)
    db.session.flush()
    cats, themes = {}, {}
    for c in db.session.scalars(select(Categorie).where(Categorie.version_id == source.id)):
        copy = Categorie(version_id=version.id, code=c.code, nom=c.nom, ordre=c.ordre,
                         niveau2_only=c.niveau2_only,
                         themes=[Theme(code=t.code, nom=t.nom, ordre=t.ordre) for t in c.themes])
        db.session.add(copy)
        db.session.flush()
        cats[c.id] = copy
        for old, new in zip(c.themes, copy.themes):
            themes[old.id] = new
    defs = {}
    for d in db.session.scalars(select(Definition).where(Definition.version_id == source.id)):
        defs[d.id] = Definition(version_id=version.id, code=d.code, terme=d.terme,
                                definition=d.definition)
        db.session.add(defs[d.id])
    recos = {}
    for r in db.session.scalars(select(Recommandation).where(
            Recommandation.version_id == source.id)):
        recos[r.id] = Recommandation(
            version_id=version.id, code=r.code, categorie_code=r.categorie_code,
            titre=r.titre, corps=r.corps, detail=r.detail, pourquoi=r.pourquoi,
            etapes=list(r.etapes or []), effort=r.effort, cout=r.cout,
            acteurs=list(r.acteurs or []), ressources=[dict(x) for x in r.ressources or []],
            indicateurs_succes=list(r.indicateurs_succes or []), niveau=r.niveau,
            niveau_questionnaire=r.niveau_questionnaire)
        db.session.add(recos[r.id])
    db.session.flush()
    questions = {}
    olds = list(db.session.scalars(select(Question).where(Question.version_id == source.id)))
    for q in olds:
        copy = Question(
            version_id=version.id, code=q.code, niveau=q.niveau,
            categorie_id=cats[q.categorie_id].id,
            theme_id=themes[q.theme_id].id if q.theme_id else None, ordre=q.ordre,
            texte=q.texte, aide=q.aide, fondements=list(q.fondements or []),
            priorite=q.priorite, type=q.type,
            parent_reponse=q.parent_reponse,
            recommandation_id=recos[q.recommandation_id].id if q.recommandation_id else None,
            options=[ReponseOption(code=o.code, libelle=o.libelle, points=o.points,
                                   ordre=o.ordre) for o in q.options],
            definitions=[defs[d.id] for d in q.definitions])
        if q.id == question_id:
            _apply(copy, q, edit, recos)
        db.session.add(copy)
        questions[q.id] = copy
    db.session.flush()
    for q in olds:
        if q.parent_id:
            questions[q.id].parent_id = questions[q.parent_id].id
    activer(version)
    db.session.flush()
    return version


def numero_libre() -> int:
    """The number a new version takes: one past the highest."""
    return (db.session.scalar(select(func.max(QuestionnaireVersion.numero))) or 0) + 1


def activer(version: QuestionnaireVersion) -> None:
    """``version`` becomes the only active one."""
    db.session.execute(update(QuestionnaireVersion).where(QuestionnaireVersion.id != version.id)
                       .values(active=False))
    version.active = True


def _apply(copy: Question, source: Question, edit: dict, recos: dict) -> None:
    """The edit on the new version's copy of the question (its options and its
    recommendation are the new version's own rows)."""
    for key in EDITABLE:
        if key in edit:
            setattr(copy, key, edit[key] or None if key == "aide" else edit[key])
    for option in copy.options:
        option.points = edit["points"][option.code]
        option.libelle = edit["libelles"][option.code]
    reco = edit["recommandation"]
    if reco is None:
        return
    target = recos.get(source.recommandation_id)
    if target is None:
        target = Recommandation(version_id=copy.version_id, code=f"R-{source.code}",
                                categorie_code=source.categorie.code,
                                niveau_questionnaire=source.niveau, ressources=[],
                                indicateurs_succes=[])
        db.session.add(target)
    target.titre, target.corps, target.niveau = reco["titre"], reco["corps"], reco["niveau"]
    db.session.flush()
    copy.recommandation_id = target.id
