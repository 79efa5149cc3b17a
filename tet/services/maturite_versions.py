"""Editing the questionnaire creates a new version (a full copy with the change); the
answers keep the version they were given under."""
from __future__ import annotations

from sqlalchemy import func, select, update

from tet.extensions import db
from tet.models import (
    Categorie,
    Definition,
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    ReponseOption,
    Theme,
)
from tet.models.maturite import PRIORITES

EDITABLE = ("texte", "aide", "priorite")


class VersionError(ValueError):
    """A refused edit (French message)."""


def version_of(collectivite_id: int) -> QuestionnaireVersion | None:
    """The version a collectivité answers under: the one of its latest answer, else the
    active one."""
    version_id = db.session.scalar(
        select(Question.version_id).join(Reponse, Reponse.question_id == Question.id)
        .where(Reponse.collectivite_id == collectivite_id)
        .order_by(Reponse.updated_at.desc(), Reponse.id.desc()).limit(1))
    if version_id is not None:
        return db.session.get(QuestionnaireVersion, version_id)
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.active.is_(True)))


def new_version(source: QuestionnaireVersion, question_id: int, changes: dict,
                note: str | None = None) -> QuestionnaireVersion:
    """Copy ``source`` into a new active version, with ``changes`` on one question."""
    changes = {k: (v or "").strip() for k, v in changes.items() if k in EDITABLE}
    if "texte" in changes and not changes["texte"]:
        raise VersionError("Le texte de la question est obligatoire.")
    if "priorite" in changes and changes["priorite"] not in dict(PRIORITES):
        raise VersionError("Priorité inconnue.")
    if db.session.scalar(select(Question.id).where(
            Question.id == question_id, Question.version_id == source.id)) is None:
        raise VersionError("Cette question n'appartient pas à la version modifiée.")
    numero = (db.session.scalar(select(func.max(QuestionnaireVersion.numero))) or 0) + 1
    version = QuestionnaireVersion(numero=numero, note=note)
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
            titre=r.titre, corps=r.corps, detail=r.detail, ressources=list(r.ressources),
            indicateurs_succes=list(r.indicateurs_succes), niveau=r.niveau,
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
            texte=q.texte, aide=q.aide, priorite=q.priorite, type=q.type,
            parent_reponse=q.parent_reponse,
            recommandation_id=recos[q.recommandation_id].id if q.recommandation_id else None,
            options=[ReponseOption(code=o.code, libelle=o.libelle, points=o.points,
                                   ordre=o.ordre) for o in q.options],
            definitions=[defs[d.id] for d in q.definitions])
        if q.id == question_id:
            for key, value in changes.items():
                setattr(copy, key, value or None if key == "aide" else value)
        db.session.add(copy)
        questions[q.id] = copy
    db.session.flush()
    for q in olds:
        if q.parent_id:
            questions[q.id].parent_id = questions[q.parent_id].id
    db.session.execute(update(QuestionnaireVersion).where(QuestionnaireVersion.id != version.id)
                       .values(active=False))
    version.active = True
    db.session.flush()
    return version
