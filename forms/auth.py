"""Login, password reset, sign-up and join-request forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from forms.choices import select_choices
from forms.validators import departement_code, email_address, siren_or_siret
from tet.comptes.models import TYPES_COLLECTIVITE

REQUIRED = "Ce champ est obligatoire."


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(REQUIRED), email_address])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED)])


class ResetRequestForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(REQUIRED), email_address])


class NewPasswordForm(FlaskForm):
    password = PasswordField("Nouveau mot de passe", validators=[DataRequired(REQUIRED)])
    confirm = PasswordField("Confirmation", validators=[
        DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")])


FONCTIONS = ["Chargé·e de mission", "Directeur·rice général·e des services (DGS)",
             "Directeur·rice ou responsable de service", "Élu·e", "Secrétaire de mairie",
             "Agent·e technique", "Autre"]


class RequestFields(FlaskForm):
    fonction = StringField("Votre fonction", validators=[DataRequired(REQUIRED),
                                                         Length(max=150)])
    message = TextAreaField("Message (facultatif)", validators=[Optional(), Length(max=500)])


class PersonFields(RequestFields):
    """Who asks; no password here: it is chosen through the e-mailed link."""

    prenom = StringField("Prénom", validators=[DataRequired(REQUIRED), Length(max=100)])
    nom_user = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField("Adresse e-mail professionnelle",
                       validators=[DataRequired(REQUIRED), email_address, Length(max=254)])


class CollectiviteFields(FlaskForm):
    identifiant = StringField("SIREN ou SIRET de la collectivité",
                              validators=[DataRequired(REQUIRED), siren_or_siret])
    nom = StringField("Nom de la collectivité", validators=[Optional(), Length(max=200)])
    type = SelectField("Type", choices=select_choices([("", "—")] + TYPES_COLLECTIVITE),
                       validators=[Optional()])
    departement = StringField("Département (code)", validators=[Optional(), departement_code])

    def collectivite_values(self) -> dict:
        return {"identifiant": self.identifiant.data, "collectivite": self.nom.data,
                "type_": self.type.data,
                "departement": (self.departement.data or "").strip().upper() or None}


class SignupForm(CollectiviteFields, PersonFields):
    """Sign-up of a visitor: a known SIREN becomes a join request."""


class AccessRequestForm(CollectiviteFields, RequestFields):
    """A signed-in user asks for access to another collectivité."""


class JoinForm(PersonFields):
    pass
