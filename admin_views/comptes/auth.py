"""Sign-in, sign-out, password reset, self-service sign-up and contexte switching."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import (
    FONCTIONS,
    AccessRequestForm,
    JoinForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from tet.extensions import db
from tet.comptes.permissions import build_acteur
from tet.comptes import (
    services as accounts,
    inscription,
    referentiel as referentiel_collectivites,
    sessions,
    throttle,
)

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
        accounts.send_reset_link(form.email.data)
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
            accounts.choose_password(user, form.password.data)
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Mot de passe enregistré : vous pouvez vous connecter.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


def _ask(form, **collectivite):
    """Send the e-mail of a sign-up or join request; the same page follows either way."""
    try:
        inscription.demander(email=form.email.data, prenom=form.prenom.data,
                             nom=form.nom_user.data, fonction=form.fonction.data,
                             message=form.message.data, **collectivite)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return None
    return redirect(url_for("auth.envoye"))


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        done = _ask(form, **form.collectivite_values())
        if done:
            return done
    return render_template("auth/signup.html", form=form, fonctions=FONCTIONS)


@bp.get("/inscription/siren")
def siren():
    """The official data of a SIREN, for the sign-up form to pre-fill (static/js/
    inscription.js); slowed down like the login for an address that fails too often."""
    wait = throttle.address_wait(request.remote_addr)
    if wait:
        response = jsonify(message=f"Trop de tentatives : réessayez dans {wait} secondes.")
        response.status_code, response.headers["Retry-After"] = 429, str(wait)
        return response
    corps, code = referentiel_collectivites.prerenseignement(request.args.get("siren"))
    response = jsonify(corps)
    response.status_code = code
    return response


@bp.route("/demande-acces", methods=["GET", "POST"])
@login_required
def demande_acces():
    """A signed-in user (address already proven) asks for another collectivité."""
    form = AccessRequestForm()
    if form.validate_on_submit():
        try:
            kind = inscription.demander_connecte(
                current_user, fonction=form.fonction.data, message=form.message.data,
                **form.collectivite_values())
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(FILED[kind], "success" if kind != "deja" else "info")
            return redirect(url_for("admin.index"))
    elif request.method == "GET":
        form.fonction.data = current_user.fonction
    return render_template("auth/signup.html", form=form, fonctions=FONCTIONS,
                           connecte=True)


@bp.route("/inscription/rejoindre/<siren>", methods=["GET", "POST"])
def join(siren: str):
    coll = accounts.find_collectivite_by_siren(siren)
    if coll is None:
        abort(404)
    form = JoinForm()
    if form.validate_on_submit():
        done = _ask(form, identifiant=coll.siren)
        if done:
            return done
    return render_template("auth/join.html", form=form, collectivite=coll,
                           fonctions=FONCTIONS)


@bp.get("/inscription/envoye")
def envoye():
    return render_template("auth/envoye.html", message=inscription.SENT,
                           heures=current_app.config["SIGNUP_TOKEN_MAX_AGE"] // 3600)


@bp.route("/inscription/confirmer/<token>", methods=["GET", "POST"])
def confirmer(token: str):
    """The e-mailed link: the address is proven, the owner chooses the password."""
    try:
        demande = inscription.lire(token)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user, kind = inscription.confirmer(demande, form.password.data)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc))
        else:
            session.clear()
            login_user(user)
            flash("Adresse confirmée : " + FILED[kind][0].lower() + FILED[kind][1:],
                  "success")
            return redirect(url_for("admin.index"))
    return render_template("auth/confirmer.html", form=form, demande=demande)


FILED = {
    "adhesion": "Votre demande est transmise aux administrateurs de la collectivité. Vous "
                "aurez accès à ses données dès qu'ils l'auront acceptée.",
    "creation": "Votre demande de compte est transmise au support national, qui la valide "
                "avant tout accès aux données.",
    "deja": "Vous avez déjà accès à cette collectivité, ou une demande en attente.",
}


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
