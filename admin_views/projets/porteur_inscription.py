"""The « porteur de projets » sign-up: the organisation and its first admin, created once
the e-mailed link is followed (``tet.projets.inscription_porteur``)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from forms.auth import NewPasswordForm
from forms.projets.porteur import InscriptionPorteurForm
from tet.comptes.services import AccountError
from tet.extensions import db
from tet.projets import inscription_porteur as inscription
from tet.projets.commun import Refus

bp = Blueprint("inscription_porteur", __name__)


@bp.route("/inscription/porteur", methods=["GET", "POST"])
def demander():
    if current_user.is_authenticated:
        return redirect(url_for("porteur_organisation.nouvelle"))
    form = InscriptionPorteurForm()
    if form.validate_on_submit():
        values = form.organisation_values()
        try:
            inscription.demander(email=form.email.data, prenom=form.prenom.data,
                                 nom=form.nom_user.data, type_=values["type"],
                                 organisation=values["nom"],
                                 identifiant=values["identifiant"],
                                 adresse=values["adresse"], code_postal=values["code_postal"],
                                 commune=values["commune"])
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            return redirect(url_for(".envoye"))
    return render_template("auth/inscription_porteur.html", form=form)


@bp.get("/inscription/porteur/envoye")
def envoye():
    return render_template("auth/envoye.html", message=inscription.SENT,
                           heures=current_app.config["SIGNUP_TOKEN_MAX_AGE"] // 3600)


@bp.route("/inscription/porteur/confirmer/<token>", methods=["GET", "POST"])
def confirmer(token: str):
    try:
        demande = inscription.lire(token)
    except AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user, org = inscription.confirmer(demande, form.password.data)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc))
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            session.clear()
            login_user(user)
            session["contexte"] = f"organisation:{org.id}"
            flash(f"Adresse confirmée : « {org.nom} » est inscrite et vous en êtes l'admin.",
                  "success")
            return redirect(url_for("porteur.index"))
    return render_template("auth/confirmer_porteur.html", form=form, demande=demande)
