"""The fiche action form, grouped as fiche-action.md groups the fiche page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forms.choices import select_choices
from forms.fields import BoundedIntegerField, FicheParentField, FiniteDecimalField
from forms.verrou import VerrouMixin
from tet.plans.fiches import split_names
from tet.plans.models import (
    BUDGET_NATURES,
    BUDGET_UNITES,
    CIBLES,
    PARTICIPATION,
    PRIORITES,
    STATUTS,
    TEMPS,
)

REQUIRED = "Ce champ est obligatoire."
NONE = [("", "—")]
DATE_MSG = "Date invalide (format JJ/MM/AAAA)."
TAGS_MAX = 50  # names in one field


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NoCsrfForm(FlaskForm):
    class Meta:
        csrf = False


class FinanceurForm(NoCsrfForm):
    nom = StringField("Financeur", validators=[Optional(), Length(max=200)])
    montant = FiniteDecimalField("Montant € HT", places=2, validators=[
        Optional(), NumberRange(min=0, message="Le montant doit être positif ou nul.")])


class BudgetForm(NoCsrfForm):
    nature = SelectField("Nature", choices=select_choices(BUDGET_NATURES),
                         default="investissement")
    unite = SelectField("Unité", choices=select_choices(BUDGET_UNITES), default="eur_ht")
    annee = BoundedIntegerField("Année (vide : total)", validators=[
        Optional(), NumberRange(min=1990, max=2100, message="Année entre 1990 et 2100.")])
    prevu = FiniteDecimalField("Prévisionnel", places=2, validators=[
        Optional(), NumberRange(min=0, message="Le montant doit être positif ou nul.")])
    reel = FiniteDecimalField("Réel", places=2, validators=[
        Optional(), NumberRange(min=0, message="Le montant doit être positif ou nul.")])


class TagsField(SelectMultipleField):
    """Names of the collectivité's tags of one kind: the known ones offered (``choices``,
    filled by the view), new ones typed. Without JavaScript a multi-select plus a text
    field « autres » of the same name (comma-separated names); with JavaScript one Select2
    box (search, the collectivité's other names loaded on demand, new names). Either way
    the posted values are names, split on commas."""

    grande = False  # more names than offered: the box asks the server

    def __init__(self, label, kind: str, **kwargs):
        super().__init__(label, choices=[], validate_choice=False, **kwargs)
        self.kind = kind

    def process_data(self, value):
        self.data = list(value or [])

    def process_formdata(self, valuelist):
        self.data = split_names([n for v in valuelist for n in str(v).split(",")])

    def pre_validate(self, form):
        if len(self.data or []) > TAGS_MAX:
            raise ValueError(f"{TAGS_MAX} noms au plus.")

    def options(self) -> list[str]:
        """The names offered, the chosen ones included."""
        known = [str(c.value) for c in self.choices]
        return known + [n for n in self.data or [] if n not in known]


def _tags(label: str, help_text: str = "Séparez les noms par des virgules") -> StringField:
    return StringField(label, validators=[Optional(), Length(max=2000)],
                       description=help_text)


class FicheForm(VerrouMixin, FlaskForm):
    # Présentation
    titre = StringField("Titre", validators=[DataRequired(REQUIRED), Length(
        max=300, message="Le titre ne peut dépasser 300 caractères.")])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    objectifs = TextAreaField("Objectifs", validators=[Optional(), Length(max=20000)])
    ressources = TextAreaField("Moyens humains et techniques",
                               validators=[Optional(), Length(max=20000)])
    thematique_ids = MultiCheckboxField("Thématiques", coerce=int, choices=[])
    libre = _tags("Tags de suivi")
    parent_id = FicheParentField("Sous-action de", coerce=lambda v: int(v) if v else None,
                                 choices=[], validators=[Optional()])
    # Rangement (new fiche only: choices filled by the view, the field removed on edit)
    axe_id = SelectField("Ranger dans", coerce=lambda v: int(v) if v else None, choices=[],
                         validators=[Optional()],
                         description="Le plan (ou l’axe d’un plan) où ranger la fiche ; "
                                     "d’autres emplacements s’ajoutent depuis sa page.")
    # Mise en œuvre
    statut = SelectField("Statut", choices=select_choices(STATUTS), default="a_venir")
    priorite = SelectField("Niveau de priorité", choices=select_choices(NONE + PRIORITES),
                           validators=[Optional()])
    date_debut = DateField("Date de début", validators=[Optional()], format="%Y-%m-%d")
    date_fin = DateField("Date de fin prévisionnelle", validators=[Optional()],
                         format="%Y-%m-%d")
    amelioration_continue = BooleanField("L'action se répète tous les ans "
                                         "(amélioration continue)")
    temps_mise_en_oeuvre = SelectField("Temps de mise en œuvre",
                                       choices=select_choices(NONE + TEMPS),
                                       validators=[Optional()])
    # Acteurs
    pilote_ids = SelectMultipleField("Personnes pilotes (membres)", coerce=int, choices=[])
    personne = _tags("Personnes pilotes (autres)")
    elu = _tags("Élu·e·s référent·e·s")
    service = TagsField("Directions ou services pilotes", "service")
    structure = _tags("Structures pilotes")
    partenaire = TagsField("Partenaires", "partenaire")
    instance = _tags("Instances de gouvernance")
    cibles = MultiCheckboxField("Cibles", choices=select_choices(CIBLES))
    participation = SelectField("Participation citoyenne",
                                choices=select_choices(NONE + PARTICIPATION),
                                validators=[Optional()])
    participation_detail = TextAreaField("Participation citoyenne (précisions)",
                                         validators=[Optional(), Length(max=5000)])
    # Budget
    financements = TextAreaField("Financements", validators=[Optional(), Length(max=5000)])
    financeurs = FieldList(FormField(FinanceurForm), min_entries=3, max_entries=10)
    budgets = FieldList(FormField(BudgetForm), min_entries=2, max_entries=20)
    # Accès
    confidentiel = BooleanField("Fiche confidentielle (invisible hors de la collectivité)")

    # The essentials first and open; the other sections fold (open when they hold an error).
    GROUPS = [
        ("L’essentiel", ["titre", "statut", "priorite", "pilote_ids", "date_debut",
                         "date_fin", "axe_id"]),
        ("Description et objectifs", ["description", "objectifs", "ressources",
                                      "thematique_ids", "libre", "parent_id"]),
        ("Acteurs", ["service", "personne", "elu", "structure", "partenaire", "instance",
                     "cibles", "participation", "participation_detail"]),
        ("Mise en œuvre", ["amelioration_continue", "temps_mise_en_oeuvre"]),
        ("Budget et financeurs", ["financements", "financeurs", "budgets"]),
        ("Accès", ["confidentiel"]),
    ]
    OPEN = ("L’essentiel",)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.date_debut.data and self.date_fin.data and \
                self.date_fin.data < self.date_debut.data:
            self.date_fin.errors.append("La date de fin ne peut pas précéder la date de début.")
            ok = False
        return ok
