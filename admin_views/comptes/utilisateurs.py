"""Back-office views of accounts: collectivités, users, memberships, OPSN."""
from __future__ import annotations

import re

from flask import flash
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from admin_views.base import ScopedAjaxLoader, ScopedModelView, full_text_search
from admin_views.verrou import VerrouModelView
from forms.choices import select_choices
from forms.members import InviteForm, OpsnInviteForm
from forms.validators import departement_code, departement_error, optional_siret, siren_only
from tet.extensions import db
from tet.comptes.models import (
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
)
from tet.comptes.models import (
    NIVEAUX,
    OPSN_ROLES,
    SOURCES_COLLECTIVITE,
    STATUTS_VALIDATION,
    TYPES_COLLECTIVITE,
)
from tet.plans import liens
from tet.comptes import services as accounts
from tet.comptes import siren as siren_checks
from tet.tri import tri_fr

CODE_INSEE = re.compile(r"^(\d{5}|2[AaBb]\d{3})$")


class CollectiviteView(VerrouModelView, ScopedModelView):
    column_list = ["nom", "type", "siren", "departement", "region", "population"]
    column_searchable_list = ["nom", "siren", "code_insee"]
    column_filters = ["type", "departement", "region", "population", "source", "statut"]
    column_sortable_list = ["nom", "type", "siren", "departement", "region", "population"]
    column_default_sort = "nom"
    column_labels = {
        "nom": "Nom", "type": "Type", "siren": "SIREN", "siret": "SIRET",
        "code_insee": "Code INSEE", "departement": "Département", "region": "Région",
        "population": "Population", "membres": "Communes membres", "supras": "Membre de",
        "created_at": "Créée le", "source": "Origine", "statut": "Compte",
    }
    column_choices = {"type": TYPES_COLLECTIVITE, "source": SOURCES_COLLECTIVITE,
                      "statut": STATUTS_VALIDATION}
    column_details_list = ["nom", "type", "siren", "siret", "code_insee", "departement",
                           "region", "population", "source", "membres", "supras", "statut",
                           "created_at"]
    form_columns = ["nom", "type", "siren", "siret", "code_insee", "departement", "region",
                    "population", "membres"]
    form_overrides = {"type": SelectField}
    form_args = {
        "type": {"choices": select_choices(TYPES_COLLECTIVITE), "label": "Type"},
        "siren": {"validators": [siren_only], "label": "SIREN"},
        "siret": {"validators": [Optional(), optional_siret], "label": "SIRET"},
        "departement": {"validators": [Optional(), departement_code]},
    }
    form_ajax_refs = {
        "membres": ScopedAjaxLoader("membres", Collectivite, may_link=liens.can_edit_membres,
                                    fields=["nom", "siren"], page_size=20),
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if not self.acteur.is_support:
            del form.siren  # the identity of an account is changed by support only
        if not liens.can_edit_membres(self.acteur):
            del form.membres  # supra / membre links are set by support only
        return form

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """A SIREN or SIRET typed (spaces allowed) is looked up on the SIREN index, a code
        INSEE on its own, anything else on the full-text index: never ``ILIKE '%…%'`` over
        36 000 rows."""
        digits = siren_checks.normalise(search)
        if digits.isdigit() and len(digits) in (9, 14):
            cond = Collectivite.siren == digits[:9]
        elif CODE_INSEE.match(search.strip()):
            cond = Collectivite.code_insee == search.strip().upper()
        else:  # beginnings of words of the nom, SIREN or code INSEE, accents ignored
            return full_text_search("collectivite", Collectivite, query, count_query, joins,
                                    count_joins, search)
        return (query.filter(cond), count_query.filter(cond) if count_query is not None
                else None, joins, count_joins)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if not liens.may_save_links(self.acteur, model):
            raise ValidationError("Seul le support national modifie les communes membres "
                                  "d'une collectivité.")
        model.departement = (model.departement or "").strip().upper() or None
        clash = db.session.scalar(select(Collectivite.id).where(
            Collectivite.siren == model.siren, Collectivite.id != (model.id or 0)))
        if clash:
            raise ValidationError("Une collectivité avec ce SIREN existe déjà.")
        if model in (model.membres or []):
            raise ValidationError("Une collectivité ne peut pas être membre d'elle-même.")


class UserView(ScopedModelView):
    column_list = ["email", "prenom", "nom", "fonction", "is_support", "active",
                   "email_verifie_le", "last_login_at"]
    column_searchable_list = ["email", "nom", "prenom"]
    column_filters = ["is_support", "active", "last_login_at"]
    column_sortable_list = ["email", "prenom", "nom", "is_support", "active", "last_login_at"]
    column_default_sort = "email"
    column_labels = {
        "email": "E-mail", "prenom": "Prénom", "nom": "Nom", "is_support": "Support national",
        "active": "Actif", "last_login_at": "Dernière connexion", "created_at": "Créé le",
        "new_password": "Nouveau mot de passe", "fonction": "Fonction",
        "email_verifie_le": "Adresse vérifiée le",
    }
    column_details_list = ["email", "prenom", "nom", "fonction", "is_support", "active",
                           "email_verifie_le", "last_login_at", "created_at"]
    column_export_list = ["email", "prenom", "nom", "is_support", "active", "last_login_at"]
    form_columns = ["email", "prenom", "nom", "fonction", "is_support", "active",
                    "new_password"]
    form_extra_fields = {"new_password": PasswordField("Nouveau mot de passe",
                                                       validators=[Optional()])}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        clash = db.session.scalar(select(User.id).where(
            User.email == model.email, User.id != (model.id or 0)))
        if clash:
            raise ValidationError("Un compte existe déjà avec cette adresse e-mail.")
        if form.new_password.data:
            try:
                accounts.set_password(model, form.new_password.data)
            except accounts.AccountError as exc:
                raise ValidationError(str(exc))

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        if model.id == current_user.id and model.active:
            login_user(model)  # own new password: this session goes on, the others end


class MembershipView(ScopedModelView):
    """Members of the current collectivité: invite by e-mail, change niveau, remove."""

    name = "Membres"
    column_list = ["user", "user.prenom", "user.nom", "collectivite", "niveau", "statut",
                   "created_at"]
    column_labels = {"user": "E-mail", "user.prenom": "Prénom", "user.nom": "Nom",
                     "collectivite": "Collectivité", "niveau": "Niveau", "statut": "Accès",
                     "created_at": "Depuis le", "user.email": "E-mail",
                     "collectivite.nom": "Collectivité"}
    column_searchable_list = ["user.email", "user.nom", "collectivite.nom"]
    column_filters = ["niveau", "collectivite.nom"]
    column_sortable_list = [("user", "user.email"), "niveau", "created_at",
                            ("collectivite", "collectivite.nom")]
    column_choices = {"niveau": NIVEAUX, "statut": STATUTS_VALIDATION}
    column_details_list = ["user", "collectivite", "niveau", "statut", "created_at"]
    form_columns = ["niveau"]
    form_overrides = {"niveau": SelectField}
    form_args = {"niveau": {"choices": select_choices(NIVEAUX), "label": "Niveau d'accès"}}

    def get_query(self):
        return super().get_query().options(joinedload(Membership.user),
                                           joinedload(Membership.collectivite))

    def create_form(self, obj=None):
        form = InviteForm()
        if self.acteur.is_support:
            form_cls = type("SupportInviteForm", (InviteForm,), {
                "siren": StringField("SIREN de la collectivité", validators=[siren_only])})
            form = form_cls()
        return form

    def create_model(self, form):
        a = self.acteur
        if a.is_support:
            coll = accounts.find_collectivite_by_siren(form.siren.data)
            if coll is None:
                flash("Aucune collectivité avec ce SIREN.", "error")
                return False
        else:
            coll = db.session.get(Collectivite, a.collectivite_id)
        try:
            membership = accounts.invite_member(coll, form.email.data, form.niveau.data,
                                                a.user)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return False
        return membership

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        try:
            accounts.check_keeps_an_admin(model, model.niveau)
        except accounts.AccountError as exc:
            raise ValidationError(str(exc))

    def on_model_delete(self, model):
        super().on_model_delete(model)
        try:
            accounts.check_keeps_an_admin(model, None)
        except accounts.AccountError as exc:
            raise ValidationError(str(exc))


def _departements_formatter(v, c, m, name):
    return ", ".join(m.codes_departements)


class OpsnView(ScopedModelView):
    name = "OPSN"
    column_list = ["nom", "siren", "departements", "email_contact"]
    column_searchable_list = ["nom", "siren"]
    column_filters = ["nom", "departements.code"]
    column_sortable_list = ["nom", "siren"]
    column_default_sort = "nom"
    column_labels = {"nom": "Nom", "siren": "SIREN", "departements": "Départements desservis",
                     "email_contact": "E-mail de contact", "departements.code": "Département",
                     "codes": "Départements desservis (codes séparés par des virgules)"}
    column_formatters = {"departements": _departements_formatter}
    column_formatters_export = {"departements": _departements_formatter}
    column_details_list = ["nom", "siren", "departements", "email_contact", "created_at"]
    form_columns = ["nom", "siren", "email_contact", "codes"]
    form_args = {"siren": {"validators": [siren_only], "label": "SIREN"}}
    form_extra_fields = {"codes": StringField(
        "Départements desservis (codes séparés par des virgules)")}

    def get_query(self):
        return super().get_query().options(selectinload(Opsn.departements))

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if not self.acteur.is_support:
            del form.siren
        if obj is not None and not form.codes.data:
            form.codes.data = ", ".join(obj.codes_departements)
        return form

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        codes = [c.strip().upper() for c in (form.codes.data or "").split(",") if c.strip()]
        bad = [code for code in codes if departement_error(code)]
        if bad:
            raise ValidationError("Codes de département invalides : " + ", ".join(bad))
        wanted = set(codes)
        for dep in list(model.departements):
            if dep.code not in wanted:
                model.departements.remove(dep)
        have = set(model.codes_departements)
        for code in sorted(wanted - have):
            model.departements.append(OpsnDepartement(code=code))


class OpsnMembershipView(ScopedModelView):
    name = "Membres OPSN"
    column_list = ["user", "opsn", "role", "created_at"]
    column_labels = {"user": "E-mail", "opsn": "OPSN", "role": "Rôle",
                     "created_at": "Depuis le", "user.email": "E-mail", "opsn.nom": "OPSN"}
    column_searchable_list = ["user.email", "user.nom", "opsn.nom"]
    column_filters = ["role", "opsn.nom"]
    column_sortable_list = [("user", "user.email"), "role", ("opsn", "opsn.nom"),
                            "created_at"]
    column_choices = {"role": OPSN_ROLES}
    column_details_list = ["user", "opsn", "role", "created_at"]
    form_columns = ["role"]
    form_overrides = {"role": SelectField}
    form_args = {"role": {"choices": select_choices(OPSN_ROLES), "label": "Rôle"}}

    def get_query(self):
        return super().get_query().options(joinedload(OpsnMembership.user),
                                           joinedload(OpsnMembership.opsn))

    def create_form(self, obj=None):
        if self.acteur.is_support:
            choices = [(str(o.id), o.nom) for o in db.session.scalars(
                select(Opsn).order_by(tri_fr(Opsn.nom)))]
            form_cls = type("SupportOpsnInviteForm", (OpsnInviteForm,), {
                "opsn_id": SelectField("OPSN", choices=select_choices(choices))})
            return form_cls()
        return OpsnInviteForm()

    def create_model(self, form):
        a = self.acteur
        opsn_id = int(form.opsn_id.data) if a.is_support else a.opsn_id
        opsn = db.session.get(Opsn, opsn_id)
        try:
            membership = accounts.invite_opsn_member(opsn, form.email.data, form.role.data,
                                                     a.user)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return False
        return membership
