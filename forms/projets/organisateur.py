"""Forms of the organiser of a call: its settings (one form, the grid while a draft), its
committee, a transition of a candidature. The rules (totals of 100 %, dates in order,
scoring options) are the services' (``tet.projets.parametrage``, ``appels``): ``parametres``
turns the form into their input."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forms.choices import select_choices
from forms.fields import BoundedIntegerField
from forms.verrou import VerrouMixin
from tet.projets.models import ETAPES, ETAPES_LABELS
from tet.projets.parametrage import Ligne, Parametres

REQUIRED = "Ce champ est obligatoire."
DATE_MSG = "Date invalide (format JJ/MM/AAAA)."
POURCENT = NumberRange(0, 100, "Entre 0 et 100 %.")
LIGNES_VIDES = 2  # blank rows offered under the existing ones


def _id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def axe_choices(axes) -> list:
    """The axes a criterion may belong to, « — » first (none)."""
    return select_choices([(None, "—"), *axes])


class AxeForm(Form):
    id = HiddenField()
    nom = StringField("Axe", validators=[Optional(), Length(max=300)])
    part = BoundedIntegerField("Part du score (%)", validators=[Optional(), POURCENT])


class EtapeForm(Form):
    kind = HiddenField()
    debut = DateField("Début", validators=[Optional()], render_kw={"type": "date"})
    fin = DateField("Fin", validators=[Optional()], render_kw={"type": "date"})

    @property
    def libelle(self) -> str:
        return ETAPES_LABELS.get(self.kind.data, self.kind.data or "")


class PieceForm(Form):
    id = HiddenField()
    libelle = StringField("Pièce requise", validators=[Optional(), Length(max=300)])
    obligatoire = BooleanField("Obligatoire", default=True)


class CritereForm(Form):
    id = HiddenField()
    libelle = StringField("Critère", validators=[Optional(), Length(max=300)])
    poids = BoundedIntegerField("Poids (%)", validators=[Optional(), POURCENT])
    axe_id = SelectField("Axe", coerce=_id, choices=[], validate_choice=False)


class MatriceForm(Form):
    id = HiddenField()
    nom = StringField("Matrice", validators=[Optional(), Length(max=200)])
    poids = BoundedIntegerField("Poids (%)", validators=[Optional(), POURCENT])
    options = StringField("Options propres (facultatif)", validators=[Length(max=100)])
    criteres = FieldList(FormField(CritereForm), min_entries=0)


class AppelForm(VerrouMixin, FlaskForm):
    """The call's settings; ``territoire`` is set by the view (an ajax picker)."""

    titre = StringField("Titre", validators=[DataRequired(REQUIRED), Length(max=300)])
    annee = BoundedIntegerField("Année", validators=[DataRequired(REQUIRED),
                                                     NumberRange(2000, 2100, "Entre 2000 et "
                                                                             "2100.")])
    objectifs = TextAreaField("Objectifs", validators=[Optional(), Length(max=20000)])
    regles_eligibilite = TextAreaField("Règles d’éligibilité",
                                       validators=[Optional(), Length(max=20000)])
    options_notes = StringField("Options de notation", default="1, 3, 5",
                                 description="Les notes possibles, ex. 1, 3, 5.",
                                 validators=[Length(max=100)])
    etapes = FieldList(FormField(EtapeForm), label="Étapes", min_entries=0)
    axes = FieldList(FormField(AxeForm), label="Axes", min_entries=0)
    pieces = FieldList(FormField(PieceForm), label="Pièces requises", min_entries=0)
    matrices = FieldList(FormField(MatriceForm), label="Matrices d’évaluation",
                         min_entries=0)


class CreationForm(FlaskForm):
    titre = StringField("Titre", validators=[DataRequired(REQUIRED), Length(max=300)])
    annee = BoundedIntegerField("Année", validators=[DataRequired(REQUIRED),
                                                     NumberRange(2000, 2100, "Entre 2000 et "
                                                                             "2100.")])
    objectifs = TextAreaField("Objectifs", validators=[Optional(), Length(max=20000)])


def remplir(form: AppelForm, appel, axes_choices) -> None:
    """Put the call's rows in the form (GET), with blank rows to add new ones."""
    form.titre.data, form.annee.data = appel.titre, appel.annee
    form.objectifs.data, form.regles_eligibilite.data = appel.objectifs, \
        appel.regles_eligibilite
    form.options_notes.data = ", ".join(str(o) for o in appel.options_notes or [])
    par_kind = {e.kind: e for e in appel.etapes}
    for kind, _label in ETAPES:
        e = par_kind.get(kind)
        form.etapes.append_entry({"kind": kind, "debut": e.date_debut if e else None,
                                  "fin": e.date_fin if e else None})
    for x in appel.axes:
        form.axes.append_entry({"id": x.id, "nom": x.nom, "part": x.part})
    for p in appel.pieces:
        form.pieces.append_entry({"id": p.id, "libelle": p.libelle,
                                  "obligatoire": p.obligatoire})
    for m in appel.matrices:
        form.matrices.append_entry({
            "id": m.id, "nom": m.nom, "poids": m.poids,
            "options": ", ".join(str(o) for o in m.options or []),
            "criteres": [{"id": c.id, "libelle": c.libelle, "poids": c.poids,
                          "axe_id": c.axe_id} for c in m.criteres]})
    completer(form, axes_choices)


def completer(form: AppelForm, axes_choices) -> None:
    """Blank rows under the lists, and the axes a criterion may belong to."""
    for _ in range(LIGNES_VIDES):
        form.axes.append_entry({})
        form.pieces.append_entry({"obligatoire": True})
    form.matrices.append_entry({})
    for m in form.matrices:
        for _ in range(LIGNES_VIDES):
            m.form.criteres.append_entry({})
        for c in m.form.criteres:
            c.form.axe_id.choices = axe_choices(axes_choices)


def parametres(form: AppelForm, territoire_ids: list[int], grille: bool) -> Parametres:
    """The service's input from a validated form; rows without a name are dropped (that is
    how a row is removed). ``grille`` False: the grid is not submitted (call past draft)."""
    p = Parametres(titre=form.titre.data or "", annee=form.annee.data or 0,
                   objectifs=form.objectifs.data, regles_eligibilite=form.regles_eligibilite.data,
                   territoire_ids=territoire_ids,
                   etapes={e.form.kind.data: (e.form.debut.data, e.form.fin.data)
                           for e in form.etapes if e.form.kind.data in ETAPES_LABELS})
    if not grille:
        return p
    p.options_notes = form.options_notes.data or ""
    p.axes = [Ligne(_id(x.form.id.data), x.form.nom.data.strip(), x.form.part.data or 0)
              for x in form.axes if (x.form.nom.data or "").strip()]
    p.pieces = [Ligne(_id(x.form.id.data), x.form.libelle.data.strip(),
                      obligatoire=bool(x.form.obligatoire.data))
                for x in form.pieces if (x.form.libelle.data or "").strip()]
    p.matrices = [Ligne(_id(m.form.id.data), m.form.nom.data.strip(), m.form.poids.data or 0,
                        options=m.form.options.data,
                        enfants=[Ligne(_id(c.form.id.data), c.form.libelle.data.strip(),
                                       c.form.poids.data or 0, axe_id=c.form.axe_id.data)
                                 for c in m.form.criteres
                                 if (c.form.libelle.data or "").strip()])
                  for m in form.matrices if (m.form.nom.data or "").strip()]
    return p


class MembreForm(FlaskForm):
    """Seat an account of the organiser or of a partner collectivité (``user`` is set by
    the view: an ajax picker), or invite an outside expert by e-mail."""

    email = StringField("Inviter un expert (adresse e-mail)",
                        validators=[Optional(), Length(max=254)])


class MotifForm(FlaskForm):
    motif = TextAreaField("Message au porteur", validators=[Optional(), Length(max=5000)])
