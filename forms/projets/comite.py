"""Formulaires du comité : vote, décision, séance, validation des valeurs d'impact, et la
lecture des notes d'une évaluation (un champ par critère : ``note-<id>``,
``justification-<id>``, ``version-<id>``)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.choices import select_choices
from tet.projets.models.choix import CHOIX_VOTE

MOTIVATION_MAX = 5000
VERDICTS = [("valider", "Valider"), ("refuser", "Refuser")]


class VoteForm(FlaskForm):
    choix = RadioField("Votre vote", choices=select_choices(CHOIX_VOTE),
                       validators=[InputRequired("Choisissez pour, contre ou abstention.")])


class DecisionForm(FlaskForm):
    motivation = TextAreaField("Motivation de la décision", validators=[
        DataRequired("Motivez la décision : elle est envoyée au porteur."),
        Length(max=MOTIVATION_MAX, message="La motivation est trop longue.")])


class SeanceForm(FlaskForm):
    version = HiddenField()


class ValidationValeurForm(FlaskForm):
    version = HiddenField()
    verdict = RadioField("Décision", choices=select_choices(VERDICTS),
                         validators=[InputRequired("Choisissez valider ou refuser.")])
    commentaire = TextAreaField("Raison (obligatoire pour un refus)", validators=[
        Length(max=2000, message="Le commentaire est trop long.")])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.verdict.data == "refuser" and not (self.commentaire.data or "").strip():
            self.commentaire.errors = ["Indiquez la raison du refus."]
            return False
        return ok


def notes_soumises(formdata, criteres) -> list[tuple]:
    """(critère, note, justification, version) of the criteria filled in (a criterion left
    entirely empty is not scored yet; a half-filled one goes to the service, which says
    what is missing)."""
    soumises = []
    for c in criteres:
        note = (formdata.get(f"note-{c.id}") or "").strip()
        justification = (formdata.get(f"justification-{c.id}") or "").strip()
        if note or justification:
            soumises.append((c, note, justification, formdata.get(f"version-{c.id}")))
    return soumises
