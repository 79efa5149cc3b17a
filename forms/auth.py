"""Login, password reset, sign-up and join-request forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from forms.choices import select_choices
from forms.validators import departement_code, email_address, siren_or_siret
from tet.models.accounts import TYPES_COLLECTIVITE

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


class PersonFields(FlaskForm):
    prenom = StringField("Prénom", validators=[DataRequired(REQUIRED), Length(max=100)])
    nom_user = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField("Adresse e-mail professionnelle",
                       validators=[DataRequired(REQUIRED), email_address, Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED)])
    confirm = PasswordField("Confirmation du mot de passe", validators=[
        DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")])


class SignupForm(PersonFields):
    identifiant = StringField("SIREN ou SIRET de la collectivité",
                              validators=[DataRequired(REQUIRED), siren_or_siret])
    nom = StringField("Nom de la collectivité", validators=[DataRequired(REQUIRED),
                                                            Length(max=200)])
    type = SelectField("Type", choices=select_choices(TYPES_COLLECTIVITE), validators=[DataRequired(REQUIRED)])
    departement = StringField("Département (code)", validators=[Optional(), departement_code])


class JoinForm(PersonFields):
    message = TextAreaField("Message aux administrateurs", validators=[Optional(),
                                                                       Length(max=1000)])
