"""Forms of the project holders' space: sign-up, organisation and its members, dossier
(grouped sections), risks, financing lines, planned dates, candidature, pièces, messages,
impact values. The rules live in the services (``tet.projets``): the forms check shapes
and lengths and give French messages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forms.auth import REQUIRED
from forms.choices import select_choices
from forms.fiche import DATE_MSG, MultiCheckboxField
from forms.fields import BoundedIntegerField, FiniteDecimalField
from forms.validators import email_address
from forms.verrou import VerrouMixin
from tet.projets.models import (
    CATEGORIES_RISQUE,
    CHAMPS_PUBLICS,
    ROLES_ORGANISATION,
    STADES,
    TYPES_ORGANISATION,
    ZONES_IMPACT,
)

NOTES_1_4 = [("1", "1 — faible"), ("2", "2"), ("3", "3"), ("4", "4 — forte")]


def _email(label: str, required: bool = True):
    first = DataRequired(REQUIRED) if required else Optional()
    return EmailField(label, validators=[first, email_address, Length(max=254)])


class OrganisationFields(FlaskForm):
    type = SelectField("Type d’organisation", choices=select_choices(TYPES_ORGANISATION),
                       validators=[DataRequired(REQUIRED)])
    nom_organisation = StringField("Nom de l’organisation",
                                   validators=[DataRequired(REQUIRED), Length(max=200)])
    identifiant = StringField(
        "SIREN ou SIRET", validators=[Optional(), Length(max=20)],
        description="Obligatoire sauf pour une association (qui peut n’avoir qu’un numéro "
                    "RNA).")
    adresse = TextAreaField("Adresse", validators=[Optional(), Length(max=500)])
    code_postal = StringField("Code postal", validators=[Optional(), Length(max=5)])
    commune = StringField("Commune", validators=[Optional(), Length(max=150)])

    def organisation_values(self) -> dict:
        return {"type": self.type.data, "nom": self.nom_organisation.data,
                "identifiant": self.identifiant.data or "", "adresse": self.adresse.data,
                "code_postal": self.code_postal.data or None,
                "commune": self.commune.data}


class InscriptionPorteurForm(OrganisationFields):
    """A visitor signs up as a project holder (no password: chosen through the link)."""

    prenom = StringField("Prénom", validators=[DataRequired(REQUIRED), Length(max=100)])
    nom_user = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=100)])
    email = _email("Adresse e-mail")


class OrganisationForm(VerrouMixin, OrganisationFields):
    email_contact = _email("E-mail de contact", required=False)

    def organisation_values(self) -> dict:
        return {**super().organisation_values(), "email_contact": self.email_contact.data}


class InviteMembreForm(FlaskForm):
    email = _email("Adresse e-mail")
    role = SelectField("Rôle", choices=select_choices(ROLES_ORGANISATION), default="membre")


class RoleForm(FlaskForm):
    role = SelectField("Rôle", choices=select_choices(ROLES_ORGANISATION))


class DossierForm(VerrouMixin, FlaskForm):
    titre = StringField("Titre du projet", validators=[DataRequired(REQUIRED),
                                                       Length(max=300)])
    referent_nom = StringField("Nom du référent", validators=[Optional(), Length(max=200)])
    referent_email = _email("E-mail du référent", required=False)
    referent_telephone = StringField("Téléphone du référent",
                                     validators=[Optional(), Length(max=30)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    objectifs = TextAreaField("Objectifs", validators=[Optional(), Length(max=20000)])
    beneficiaires = TextAreaField("Bénéficiaires", validators=[Optional(), Length(max=20000)])
    partenaires = TextAreaField("Partenaires", validators=[Optional(), Length(max=20000)])
    zone_impact = SelectField("Zone d’impact", choices=select_choices(ZONES_IMPACT))
    stade = SelectField("Stade de maturité", choices=select_choices(STADES))
    budget_total = FiniteDecimalField("Budget total (€)", validators=[Optional()])
    confidentiel = BooleanField(
        "Dossier confidentiel",
        description="Un dossier confidentiel n’apparaît jamais sur l’observatoire public, "
                    "même retenu ; l’organisateur et le comité le lisent toujours.")
    champs_publics = MultiCheckboxField(
        "Champs montrés sur l’observatoire public (si le projet est retenu)",
        choices=select_choices(CHAMPS_PUBLICS))

    def values(self) -> dict:
        data = {f.name: f.data for f in self if f.name in (
            "titre", "referent_nom", "referent_email", "referent_telephone", "description",
            "objectifs", "beneficiaires", "partenaires", "zone_impact", "stade",
            "confidentiel", "champs_publics")}
        data["budget_total"] = self.budget_total.data
        return data


class RisqueForm(FlaskForm):
    categorie = SelectField("Catégorie", choices=select_choices(CATEGORIES_RISQUE))
    libelle = StringField("Risque", validators=[DataRequired(REQUIRED), Length(max=300)])
    probabilite = SelectField("Probabilité", choices=select_choices(NOTES_1_4))
    gravite = SelectField("Gravité", choices=select_choices(NOTES_1_4))
    mesures = TextAreaField("Mesures prévues", validators=[Optional(), Length(max=5000)])


class FinancementForm(FlaskForm):
    cofinanceur = StringField("Co-financeur", validators=[DataRequired(REQUIRED),
                                                          Length(max=200)])
    montant = FiniteDecimalField("Montant (€)", validators=[DataRequired(REQUIRED)])
    acquis = BooleanField("Acquis")


class JalonForm(FlaskForm):
    stade = SelectField("Stade", choices=select_choices(STADES))
    date_prevue = DateField("Date prévue", validators=[Optional()],
                            render_kw={"placeholder": "JJ/MM/AAAA"})
    date_atteinte = DateField("Date atteinte", validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for f in (self.date_prevue, self.date_atteinte):
            f.errors = [DATE_MSG if "date" in str(e).lower() else e for e in f.errors]
        return ok


class NouveauDossierForm(FlaskForm):
    """Answer a call: with an existing dossier, or a new one named here."""

    dossier_id = SelectField("Dossier", choices=[], validate_choice=False)
    titre = StringField("Titre du nouveau projet", validators=[Optional(), Length(max=300)])


class CandidatureForm(VerrouMixin, FlaskForm):
    axe_id = SelectField("Axe de l’appel", choices=[], validate_choice=False)
    montant_demande = FiniteDecimalField("Montant demandé (€)", validators=[Optional()])
    motivation = TextAreaField("Motivation : en quoi le projet répond à l’appel",
                               validators=[Optional(), Length(max=20000)])


class PieceForm(FlaskForm):
    fichier = FileField("Fichier", validators=[FileRequired("Choisissez un fichier.")])
    piece_requise_id = HiddenField()


class MessageForm(FlaskForm):
    corps = TextAreaField("Votre message", validators=[DataRequired("Le message est vide."),
                                                       Length(max=10000)])


class ValeurForm(FlaskForm):
    impact_id = HiddenField()
    annee = BoundedIntegerField("Année", validators=[DataRequired(REQUIRED)])
    type = SelectField("Type", choices=select_choices([("objectif", "Objectif"),
                                                      ("resultat", "Résultat")]))
    valeur = StringField("Valeur", validators=[DataRequired(REQUIRED), Length(max=40)])
    commentaire = StringField("Commentaire", validators=[Optional(), Length(max=1000)])
