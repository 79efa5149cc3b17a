"""Passwords, login, signed links, members and adhesion decisions."""
from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, Opsn, OpsnMembership, User
from tet.comptes.demandes import DemandeAdhesion
from tet.comptes.models import NIVEAUX_LABELS, VALIDEE
from tet.colonnes import utcnow
from tet import liens_publics as links
from tet.comptes import notifications, siren, throttle
from tet.mail import send_mail

RESET_SALT = "tet-reset-password"


class AccountError(ValueError):
    """A refusal to show the user as is (French)."""


# --- passwords -------------------------------------------------------------------------

def set_password(user: User, password: str, enforce_policy: bool = True) -> None:
    """Hash and store; ``enforce_policy=False`` only for the demo seed's known password."""
    min_len = current_app.config["PASSWORD_MIN_LENGTH"]
    if enforce_policy and len(password or "") < min_len:
        raise AccountError(f"Le mot de passe doit comporter au moins {min_len} caractères.")
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def _dummy_hash() -> str:
    """A hash of a random password with the configured method, made once per app."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("tet_dummy_hashes", {})
    if method not in cache:
        cache[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return cache[method]


def password_matches(user: User | None, password: str) -> bool:
    """Check ``password``; without a usable account, check it against a dummy hash so the
    answer takes as long for an unknown address as for a wrong password."""
    if user is None or not user.is_active or not user.password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return False
    return check_password_hash(user.password_hash, password or "")


def find_user(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == (email or "").strip().lower())
    )


# --- login ----------------------------------------------------------------------------

def authenticate(email: str, password: str, ip: str | None) -> User:
    """The user, or AccountError with a message that does not reveal which part was wrong."""
    wait = throttle.address_wait(ip)
    if wait:
        raise AccountError(
            "Trop de tentatives échouées depuis votre adresse réseau : patientez "
            f"{wait} seconde{'s' if wait > 1 else ''} avant de réessayer."
        )
    if throttle.email_locked(email):
        minutes = current_app.config["LOGIN_LOCK_MINUTES"]
        raise AccountError(
            f"Trop de tentatives de connexion échouées. Réessayez dans {minutes} minutes "
            "ou réinitialisez votre mot de passe."
        )
    user = find_user(email)
    if not password_matches(user, password):
        throttle.record_failure(email, ip)
        raise AccountError("Adresse e-mail ou mot de passe incorrect.")
    throttle.forget(user.email)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


# --- signed links (reset, invitation, sign-up) -----------------------------------------

SALTS = {"reset": RESET_SALT, "inscription": "tet-inscription"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[purpose])


def make_token(purpose: str, payload: dict) -> str:
    """A signed, timestamped token; the salt differs per purpose."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError("Ce lien a expiré : demandez un nouveau lien.")
    except BadSignature:
        raise AccountError("Ce lien n'est pas valide.")
    if not isinstance(data, dict):
        raise AccountError("Ce lien n'est pas valide.")
    return data


def make_reset_token(user: User) -> str:
    """Bound to the current password hash, so it works once."""
    return make_token("reset", {"u": user.id, "h": (user.password_hash or "")[-12:]})


def user_from_reset_token(token: str) -> User:
    data = read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or (user.password_hash or "")[-12:] != data.get("h"):
        raise AccountError("Ce lien n'est plus valide : il a déjà servi.")
    return user


def reset_link_text(user: User) -> str:
    """« (valable N minutes) :\n<lien> » — the e-mailed link where the password is chosen."""
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    return (f"(valable {minutes} minutes) :\n"
            + links.public_url("auth.reset", token=make_reset_token(user)))


def choose_password(user: User, password: str) -> None:
    """Set the password from an e-mailed link: following it proves the address."""
    set_password(user, password)
    if user.email_verifie_le is None:
        user.email_verifie_le = utcnow()


def send_reset_link(email: str) -> None:
    """Answer a reset request by e-mail, whether or not the address has an account."""
    user = find_user(email)
    if user is not None and user.active:
        send_mail(user.email, "Réinitialisation de votre mot de passe",
                  "Bonjour,\n\nPour choisir un nouveau mot de passe, suivez ce lien "
                  f"{reset_link_text(user)}\n\nSi vous n'avez rien demandé, "
                  "ignorez ce message.")
    else:
        send_mail((email or "").strip().lower(), "Réinitialisation de votre mot de passe",
                  "Bonjour,\n\nQuelqu'un (vous, sans doute) a demandé à réinitialiser le mot "
                  "de passe de cette adresse sur TeT back-office, mais aucun compte actif ne "
                  "lui est associé.\n\nPour demander un accès : "
                  f"{links.public_url('auth.signup')}\n\nSi vous n'avez rien demandé, "
                  "ignorez ce message.")


# --- collectivités and adhesion decisions ----------------------------------------------

def find_collectivite_by_siren(value: str) -> Collectivite | None:
    ident, _siret, error = siren.split_identifier(value)
    if error:
        return None
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == ident))


def decide_adhesion(demande: DemandeAdhesion, accept: bool, by: User,
                    niveau: str = "lecture") -> None:
    if demande.statut != "demandee":
        raise AccountError("Cette demande a déjà été traitée.")
    if niveau not in NIVEAUX_LABELS:
        raise AccountError("Niveau d'accès inconnu.")
    demande.statut = "acceptee" if accept else "refusee"
    demande.decide_par_id = by.id
    demande.decide_le = utcnow()
    coll = demande.collectivite
    if accept and not db.session.scalar(select(Membership.id).where(
            Membership.user_id == demande.user_id, Membership.collectivite_id == coll.id)):
        db.session.add(Membership(user_id=demande.user_id, collectivite_id=coll.id,
                                  niveau=niveau))
    verdict = "acceptée" if accept else "refusée"
    notifications.notify([demande.user], f"Votre demande d'accès à {coll.nom} a été {verdict}.",
                         subject=f"Demande d'accès à {coll.nom} {verdict}")
    db.session.commit()


# --- members ---------------------------------------------------------------------------

def invited_user(email: str) -> tuple[User, bool]:
    """The account to give access to, and whether its owner must first prove the address.

    A proven account just gains the access (its owner proved the address). An unproven one
    (earlier invitation never followed, account made by someone else) loses any password
    and gets a fresh link: whoever chose that password gains nothing.
    """
    user = find_user(email)
    if user is None:
        user = User(email=email)
        db.session.add(user)
        db.session.flush()
        return user, True
    if not user.email_verifie:
        user.password_hash = None
        return user, True
    return user, False


def send_invitation(user: User, needs_link: bool, where: str, by: User) -> None:
    """Tell ``user`` that ``by`` gave them access to ``where`` (with the link to choose a
    password when ``invited_user`` said one is needed)."""
    body = f"{by.nom_complet} vous a donné accès à {where} sur TeT back-office."
    if needs_link:
        body += "\n\nChoisissez votre mot de passe avec ce lien " + reset_link_text(user)
    else:
        body += f"\n\nConnectez-vous : {links.public_url('auth.login')}"
    notifications.notify([user], body, subject=f"Invitation : {where}")


def invite_member(collectivite: Collectivite, email: str, niveau: str, by: User
                  ) -> Membership:
    """Add a member by e-mail; a person without a proven account receives a link."""
    if niveau not in NIVEAUX_LABELS:
        raise AccountError("Niveau d'accès inconnu.")
    user, needs_link = invited_user(email)
    existing = db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.collectivite_id == collectivite.id))
    if existing is not None and existing.validee:
        raise AccountError("Cette personne est déjà membre de la collectivité.")
    if existing is not None:  # a pending first-admin request: the invitation settles it
        existing.statut, existing.niveau = VALIDEE, niveau
        membership = existing
    else:
        membership = Membership(user_id=user.id, collectivite_id=collectivite.id,
                                niveau=niveau)
        db.session.add(membership)
    db.session.flush()
    send_invitation(user, needs_link, collectivite.nom, by)
    return membership


def invite_opsn_member(opsn: Opsn, email: str, role: str, by: User) -> OpsnMembership:
    if role not in ("admin", "membre"):
        raise AccountError("Rôle inconnu.")
    user, needs_link = invited_user(email)
    if db.session.scalar(select(OpsnMembership.id).where(
        OpsnMembership.user_id == user.id, OpsnMembership.opsn_id == opsn.id
    )):
        raise AccountError("Cette personne est déjà membre de cet OPSN.")
    membership = OpsnMembership(user_id=user.id, opsn_id=opsn.id, role=role)
    db.session.add(membership)
    db.session.flush()
    send_invitation(user, needs_link, opsn.nom, by)
    return membership


def has_admin(collectivite_id: int) -> bool:
    """Does the collectivité have a validated admin (who then decides join requests)?"""
    return db.session.scalar(select(Membership.id).where(
        Membership.collectivite_id == collectivite_id, Membership.niveau == "admin",
        Membership.validee).limit(1)) is not None


def check_keeps_an_admin(membership: Membership, new_niveau: str | None) -> None:
    """Refuse removing or demoting the last admin of a collectivité."""
    was_admin = membership.niveau == "admin"
    from sqlalchemy import inspect

    hist = inspect(membership).attrs.niveau.history
    if hist.deleted:
        was_admin = hist.deleted[0] == "admin"
    if was_admin and new_niveau != "admin":
        others = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.collectivite_id == membership.collectivite_id,
            Membership.niveau == "admin",
            Membership.validee,
            Membership.id != membership.id,
        ))
        if not others:
            raise AccountError(
                "Impossible : la collectivité doit garder au moins un administrateur."
            )
