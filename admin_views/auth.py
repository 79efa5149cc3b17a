"""Sign-in, sign-out, password reset, self-service sign-up and contexte switching."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import JoinForm, LoginForm, NewPasswordForm, ResetRequestForm, SignupForm
from tet.extensions import db
from tet.permissions import build_acteur
from tet.services import accounts, sessions
from tet.services.links import public_url
from tet.services.mail import send_mail

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("admin.index")


@bp.get("/")
def root():
    return redirect(url_for("admin.index"))


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data,
                                         request.remote_addr)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            session.clear()
            login_user(user)
            acteur = build_acteur(user)
            if acteur.contexte:
                session["contexte"] = acteur.contexte.key
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        sessions.end_all(current_user)  # a copied cookie stops working too
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté(e).", "info")
    return redirect(url_for("auth.login"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        if user is not None and user.active:
            link = public_url("auth.reset", token=accounts.make_reset_token(user))
            minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
            send_mail(user.email, "Réinitialisation de votre mot de passe",
                      "Bonjour,\n\nPour choisir un nouveau mot de passe, suivez ce lien "
                      f"(valable {minutes} minutes) :\n{link}\n\nSi vous n'avez rien demandé, "
                      "ignorez ce message.")
        flash("Si un compte existe pour cette adresse, un lien de réinitialisation vient "
              "d'être envoyé.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset(token: str):
    try:
        user = accounts.user_from_reset_token(token)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.reset_request"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Mot de passe enregistré : vous pouvez vous connecter.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    existing = None
    if form.validate_on_submit():
        try:
            coll, user = accounts.signup(
                identifiant=form.identifiant.data, nom=form.nom.data, type_=form.type.data,
                departement=(form.departement.data or "").strip().upper() or None,
                email=form.email.data, prenom=form.prenom.data, nom_user=form.nom_user.data,
                password=form.password.data)
        except accounts.AccountError as exc:
            db.session.rollback()
            existing = accounts.find_collectivite_by_siren(form.identifiant.data)
            flash(str(exc), "error")
        else:
            session.clear()
            login_user(user)
            session["contexte"] = f"collectivite:{coll.id}"
            flash(f"Bienvenue ! Le compte de {coll.nom} est créé ; vous en êtes "
                  "administrateur.", "success")
            return redirect(url_for("admin.index"))
    return render_template("auth/signup.html", form=form, existing=existing)


@bp.route("/inscription/rejoindre/<siren>", methods=["GET", "POST"])
def join(siren: str):
    coll = accounts.find_collectivite_by_siren(siren)
    if coll is None:
        abort(404)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            accounts.request_adhesion(
                collectivite=coll, email=form.email.data, prenom=form.prenom.data,
                nom_user=form.nom_user.data, password=form.password.data,
                message=form.message.data,
                url=public_url("demandeadhesion.index_view"))
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"Votre demande a été transmise aux administrateurs de {coll.nom}. "
                  "Vous pourrez vous connecter dès qu'elle sera acceptée.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/join.html", form=form, collectivite=coll)


@bp.post("/contexte")
@login_required
def switch_contexte():
    choice = request.form.get("contexte", "")
    acteur = build_acteur(current_user, choice)
    if acteur.contexte is None or acteur.contexte.key != choice:
        abort(403)
    session["contexte"] = choice
    flash(f"Vous agissez maintenant pour {acteur.contexte.nom}.", "info")
    return redirect(url_for("admin.index"))
