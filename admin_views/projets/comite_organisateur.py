"""The committee of a call, organiser side: its members, seating an account of the
organiser or of a partner collectivité (ajax picker), inviting an outside expert by e-mail
(signed link, ``tet.projets.comite``), removing a seat; and the page where the invited
person accepts (``InvitationView``)."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, request, session, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import or_, select

from admin_views.base import SecureView
from forms.projets.organisateur import MembreForm
from tet.comptes.models import User
from tet.extensions import db
from tet.nombres import parse_id
from tet.projets import comite
from tet.projets.invitations import appel_invite
from tet.projets.commun import Refus
from tet.projets.models import ORIGINES_COMITE_LABELS, AppelAProjets, MembreComite
from tet.projets.parametrage import comptes_possibles, origine_de


class ComiteMixin:
    """For ``AppelView``."""

    @expose("/<int:id>/comite", methods=("GET",))
    def comite(self, id):
        appel = self.appel_ou_404(id)
        membres = db.session.execute(
            select(MembreComite, User).outerjoin(User, User.id == MembreComite.user_id)
            .where(MembreComite.appel_id == appel.id).order_by(MembreComite.id)).all()
        from tet.projets.permissions import gere_appel

        return self.render("admin/projets/organisateur/comite.html", appel=appel,
                           membres=membres, origines=ORIGINES_COMITE_LABELS,
                           gere=gere_appel(self.acteur, appel) and appel.statut != "decide",
                           form=MembreForm())

    @expose("/<int:id>/comite/comptes")
    def comite_comptes(self, id):
        """The ajax picker: accounts of the organiser and of the territory, by e-mail or
        name (prefix of the e-mail or of a word of the name)."""
        appel = self.appel_ou_404(id)
        self.gere_ou_403(appel)
        texte = (request.args.get("query") or "").strip().lower()[:100]
        query = select(User.id, User.email, User.prenom, User.nom).where(
            comptes_possibles(appel)).order_by(User.email)
        if texte:
            like = texte.replace("\\", "").replace("%", "").replace("_", "") + "%"
            query = query.where(or_(User.email.like(like), User.nom.ilike(like),
                                    User.prenom.ilike(like)))
        offset = min(max(request.args.get("offset", 0, type=int) or 0, 0), 1000)
        rows = db.session.execute(query.offset(offset).limit(10)).all()
        data = [[i, f"{(p or '')} {(n or '')} <{e}>".strip()] for i, e, p, n in rows]
        return json.dumps(data), 200, {"Content-Type": "application/json"}

    @expose("/<int:id>/comite/ajouter", methods=("POST",))
    def comite_ajouter(self, id):
        appel = self.appel_ou_404(id)
        self.gere_ou_403(appel)
        form = MembreForm()
        user_id = parse_id(request.form.get("user_id"))
        try:
            if user_id is not None:
                user = db.session.scalar(select(User).where(User.id == user_id,
                                                            comptes_possibles(appel)))
                if user is None:
                    raise Refus("Choisissez un compte de l’organisateur ou d’une collectivité "
                                "du territoire de l’appel.")
                origine, coll = origine_de(appel, user)
                comite.ajouter(self.acteur, appel, origine, user=user, collectivite_id=coll)
                message = f"{user.email} siège au comité."
            else:
                if not form.validate():
                    raise Refus(" ".join(e for errs in form.errors.values() for e in errs))
                membre = comite.ajouter(self.acteur, appel, "expert", email=form.email.data)
                message = (f"{membre.user.email} siège au comité." if membre.user_id else
                           f"Invitation envoyée à {membre.email}.")
            db.session.commit()
            flash(message, "success")
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".comite", id=appel.id))

    @expose("/<int:id>/comite/retirer", methods=("POST",))
    def comite_retirer(self, id):
        appel = self.appel_ou_404(id)
        self.gere_ou_403(appel)
        membre = db.session.scalar(select(MembreComite).where(
            MembreComite.id == parse_id(request.form.get("membre_id")),
            MembreComite.appel_id == appel.id))
        if membre is None:
            abort(404)
        try:
            comite.retirer(self.acteur, membre)
            db.session.commit()
            flash("Membre retiré du comité.", "success")
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".comite", id=appel.id))


class InvitationView(SecureView):
    """Where an invited expert accepts: signed in (its account was made with the invitation,
    its password chosen from the e-mailed link), it takes its seat."""

    without_contexte = True

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        abort(404)

    @expose("/<jeton>", methods=("GET", "POST"))
    def accepter(self, jeton):
        if request.method == "POST":
            try:
                membre = comite.accepter(jeton, current_user._get_current_object())
                db.session.commit()
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
                return redirect(url_for(".accepter", jeton=jeton))
            appel = db.session.get(AppelAProjets, membre.appel_id)
            if appel.statut != "brouillon":
                session["contexte"] = f"comite:{appel.id}"
            flash(f"Vous siégez au comité de l’appel « {appel.titre} ».", "success")
            return redirect(url_for("admin.index"))
        appel = appel_invite(jeton)
        return self.render("admin/projets/organisateur/invitation.html", appel=appel,
                           jeton=jeton)
