"""The organisation of a project holder: its details (edited by its admins, optimistic
locking), its members (invite by e-mail, rôle, remove), and a signed-in user's new
organisation (the address of an account is already proven)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, session, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin_views.projets.porteur_base import PorteurView, agir, refuser
from admin_views.verrou import conflit_formulaire, enregistrer
from forms.projets.porteur import InviteMembreForm, OrganisationForm, RoleForm
from forms.verrou import poser
from tet import verrous
from tet.comptes.permissions import current_acteur
from tet.extensions import db
from tet.projets import membres_organisation, organisations
from tet.projets.commun import Refus
from tet.projets.models import (
    ROLES_ORGANISATION,
    TYPES_ORGANISATION_LABELS,
    Organisation,
    OrganisationMembre,
)


def _form_de(org: Organisation, formdata=None) -> OrganisationForm:
    form = OrganisationForm(formdata=formdata)
    if formdata is None:
        form.type.data, form.nom_organisation.data = org.type, org.nom
        form.identifiant.data = org.siret or org.siren or ""
        form.adresse.data, form.code_postal.data = org.adresse, org.code_postal
        form.commune.data, form.email_contact.data = org.commune, org.email_contact
    return form


class MonOrganisationView(PorteurView):
    without_contexte = True  # « nouvelle »: any signed-in user may register one

    def allowed(self) -> bool:
        return True

    def is_visible(self) -> bool:
        return current_user.is_authenticated and current_acteur().organisation_id is not None

    def _org(self) -> Organisation:
        org_id = self.acteur.organisation_id
        if org_id is None:
            abort(403)
        return db.session.get(Organisation, org_id)

    def _admin(self, org: Organisation) -> None:
        if not organisations.est_admin(self.acteur, org):
            abort(403)

    @expose("/")
    def index(self):
        org = self._org()
        est_admin = organisations.est_admin(self.acteur, org)
        form = _form_de(org)
        poser(form, org)
        return self._page(org, form, est_admin)

    def _page(self, org, form, est_admin):
        membres = list(db.session.scalars(
            select(OrganisationMembre).where(OrganisationMembre.organisation_id == org.id)
            .options(joinedload(OrganisationMembre.user)).order_by(OrganisationMembre.id)))
        return self.render("admin/projets/porteur/organisation.html", org=org, form=form,
                           est_admin=est_admin, membres=membres,
                           invite_form=InviteMembreForm(formdata=None),
                           roles=ROLES_ORGANISATION, types=TYPES_ORGANISATION_LABELS)

    @expose("/", methods=("POST",))
    def modifier(self):
        org = self._org()
        self._admin(org)
        back = url_for(".index")
        form = _form_de(org, request.form)
        if not form.validate():
            return self._page(org, form, True)

        def sauver(version):
            organisations.modifier(self.acteur, org, form.organisation_values(), version)
            verrous.commit()
            flash("Organisation enregistrée.", "success")
            return redirect(back)

        def conflit():
            fresh = db.session.get(Organisation, org.id)
            return conflit_formulaire(self, form, _form_de(fresh), fresh,
                                      objet=f"l'organisation « {fresh.nom} »", annuler=back)

        try:
            return enregistrer(sauver, form.version.data, conflit)
        except Refus as exc:
            return refuser(exc, back)

    # --- members -----------------------------------------------------------------------
    def _membre(self, org, id: int) -> OrganisationMembre:
        membre = db.session.scalar(select(OrganisationMembre).where(
            OrganisationMembre.id == id, OrganisationMembre.organisation_id == org.id))
        if membre is None:
            abort(404)
        return membre

    @expose("/membres", methods=("POST",))
    def inviter(self):
        org, form = self._org(), InviteMembreForm()
        self._admin(org)
        return agir(url_for(".index") + "#membres", lambda: membres_organisation.inviter(
            self.acteur, org, form.email.data, form.role.data),
            f"{form.email.data} est invité(e) : un e-mail lui est envoyé.", form)

    @expose("/membres/<int:id>/role", methods=("POST",))
    def role(self, id: int):
        org, form = self._org(), RoleForm()
        self._admin(org)
        membre = self._membre(org, id)
        return agir(url_for(".index") + "#membres", lambda: membres_organisation.changer_role(
            self.acteur, membre, form.role.data), "Rôle modifié.", form)

    @expose("/membres/<int:id>/retirer", methods=("POST",))
    def retirer(self, id: int):
        org = self._org()
        self._admin(org)
        membre = self._membre(org, id)
        return agir(url_for(".index") + "#membres",
                    lambda: membres_organisation.retirer(self.acteur, membre),
                    "Membre retiré de l’organisation.")

    # --- a signed-in user registers an organisation ------------------------------------
    @expose("/nouvelle", methods=("GET", "POST"))
    def nouvelle(self):
        if not current_user.email_verifie:
            abort(403)
        form = OrganisationForm()
        del form.version, form.verrou_base
        if form.validate_on_submit():
            try:
                org = organisations.creer(current_user, form.organisation_values())
                db.session.commit()
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                session["contexte"] = f"organisation:{org.id}"
                flash(f"« {org.nom} » est créée : vous en êtes l'admin.", "success")
                return redirect(url_for("porteur.index"))
        return self.render("admin/projets/porteur/organisation_nouvelle.html", form=form)
