"""Support edits the questionnaire: each change (text, help, priority, options and points,
recommendation) creates a new version (``tet.maturite.versions``)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin_views.base import SecureView
from tet.extensions import db
from tet.maturite.models import Categorie, Question, QuestionnaireVersion
from tet.maturite.models import POIDS, PRIORITES, RECO_NIVEAUX
from tet.comptes.permissions import current_acteur
from tet.maturite import questionnaire as service
from tet.maturite import versions


class ReferentielMaturiteView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().is_support

    @expose("/")
    def index(self):
        version = service.active_version()
        if version is None:
            abort(404)
        categories = db.session.scalars(select(Categorie).where(
            Categorie.version_id == version.id).order_by(Categorie.ordre)).all()
        questions = db.session.scalars(select(Question).where(
            Question.version_id == version.id).order_by(Question.niveau, Question.ordre)
            .options(selectinload(Question.options))).all()
        all_versions = db.session.scalars(select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.numero.desc())).all()
        return self.render("admin/maturite_referentiel.html", version=version,
                           categories=categories, questions=questions, versions=all_versions,
                           priorites=dict(PRIORITES))

    @expose("/question/<int:id>", methods=("GET", "POST"))
    def question(self, id: int):
        version = service.active_version()
        if version is None:
            abort(404)
        question = db.session.scalar(select(Question).where(
            Question.id == id, Question.version_id == version.id).options(
            selectinload(Question.options), selectinload(Question.recommandation)))
        if question is None:
            abort(404)
        if request.method == "POST":
            try:
                new = versions.new_version(version, question.id, _posted(question),
                                           note=request.form.get("note")
                                           or f"Modification de {question.code}")
                db.session.commit()
            except versions.VersionError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                flash(f"Version {new.numero} créée et activée ; les réponses déjà données "
                      "gardent leur version et ses points.", "success")
                return redirect(url_for(".index"))
        return self.render("admin/maturite_question_edit.html", question=question,
                           priorites=PRIORITES, poids=POIDS, reco_niveaux=RECO_NIVEAUX,
                           form=request.form if request.method == "POST" else None)


def _posted(question: Question) -> dict:
    """The edit form's fields, in the shape ``maturite_versions.check`` reads."""
    form = request.form
    changes = {k: form.get(k) for k in ("texte", "aide", "priorite") if k in form}
    changes["options"] = {
        o.code: {"libelle": form.get(f"option-{o.code}-libelle", o.libelle),
                 "points": form.get(f"option-{o.code}-points", o.points)}
        for o in question.options
        if f"option-{o.code}-libelle" in form or f"option-{o.code}-points" in form}
    if any(f"reco_{k}" in form for k in ("titre", "corps", "niveau")):
        changes["recommandation"] = {k: form.get(f"reco_{k}") for k in
                                     ("titre", "corps", "niveau")}
    return changes
