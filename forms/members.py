"""Member management forms (invite by e-mail)."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Length

from forms.choices import select_choices
from forms.validators import email_address
from tet.comptes.models import NIVEAUX, OPSN_ROLES


class InviteForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Ce champ est obligatoire."), email_address,
        Length(max=254)])
    niveau = SelectField("Niveau d'accès", choices=select_choices(NIVEAUX), default="lecture")


class OpsnInviteForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Ce champ est obligatoire."), email_address,
        Length(max=254)])
    role = SelectField("Rôle", choices=select_choices(OPSN_ROLES), default="membre")
