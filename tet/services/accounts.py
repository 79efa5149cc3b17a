"""Passwords, login throttling, reset tokens, sign-up, members and adhesion requests."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tet.extensions import db
from tet.models import (
    Collectivite,
    DemandeAdhesion,
    Membership,
    Opsn,
    OpsnMembership,
    User,
)
from tet.models.accounts import NIVEAUX_LABELS
from tet.models.base import utcnow
from tet.services import notifications, siren, throttle

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


def check_password(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password or "")


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
    if user is None or not user.active or not check_password(user, password):
        throttle.record_failure(email, ip)
        raise AccountError("Adresse e-mail ou mot de passe incorrect.")
    throttle.forget(user.email)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


# --- password reset --------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    """Signed token bound to the current password hash, so it works once."""
    return _serializer().dumps({"u": user.id, "h": (user.password_hash or "")[-12:]})


def user_from_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except SignatureExpired:
        raise AccountError("Ce lien a expiré : demandez un nouveau lien de réinitialisation.")
    except BadSignature:
        raise AccountError("Ce lien n'est pas valide.")
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or (user.password_hash or "")[-12:] != data.get("h"):
        raise AccountError("Ce lien n'est plus valide : il a déjà servi.")
    return user


# --- sign-up ---------------------------------------------------------------------------

def find_collectivite_by_siren(value: str) -> Collectivite | None:
    ident, _siret, error = siren.split_identifier(value)
    if error:
        return None
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == ident))


def signup(*, identifiant: str, nom: str, type_: str, departement: str | None,
           email: str, prenom: str, nom_user: str, password: str) -> tuple[Collectivite, User]:
    """Create a collectivité and its first admin (refused if the SIREN is known)."""
    ident, siret, error = siren.split_identifier(identifiant)
    if error:
        raise AccountError(error)
    if db.session.scalar(select(Collectivite.id).where(Collectivite.siren == ident)):
        raise AccountError(
            "Cette collectivité a déjà un compte. Vous pouvez demander à ses "
            "administrateurs de vous y ajouter."
        )
    if find_user(email):
        raise AccountError(
            "Un compte existe déjà avec cette adresse e-mail : connectez-vous, "
            "ou réinitialisez votre mot de passe."
        )
    coll = Collectivite(nom=nom.strip(), type=type_, siren=ident, siret=siret,
                        departement=(departement or None))
    user = User(email=email, prenom=prenom.strip(), nom=nom_user.strip())
    set_password(user, password)
    db.session.add_all([coll, user])
    db.session.flush()
    db.session.add(Membership(user_id=user.id, collectivite_id=coll.id, niveau="admin"))
    db.session.commit()
    return coll, user


def request_adhesion(*, collectivite: Collectivite, email: str, prenom: str, nom_user: str,
                     password: str, message: str | None, url: str | None = None) -> DemandeAdhesion:
    """A newcomer asks the admins of an existing collectivité to be added."""
    user = find_user(email)
    if user is not None:
        raise AccountError(
            "Un compte existe déjà avec cette adresse e-mail : connectez-vous pour "
            "demander l'accès."
        )
    user = User(email=email, prenom=prenom.strip(), nom=nom_user.strip())
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return ask_to_join(user, collectivite, message, url)


def ask_to_join(user: User, collectivite: Collectivite, message: str | None,
                url: str | None = None) -> DemandeAdhesion:
    if db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.collectivite_id == collectivite.id
    )):
        raise AccountError("Vous êtes déjà membre de cette collectivité.")
    pending = db.session.scalar(select(DemandeAdhesion).where(
        DemandeAdhesion.user_id == user.id,
        DemandeAdhesion.collectivite_id == collectivite.id,
        DemandeAdhesion.statut == "demandee",
    ))
    if pending:
        raise AccountError("Une demande est déjà en attente pour cette collectivité.")
    demande = DemandeAdhesion(user_id=user.id, collectivite_id=collectivite.id,
                              message=(message or None))
    db.session.add(demande)
    notifications.notify(
        notifications.collectivite_admins(collectivite.id),
        f"{user.nom_complet} ({user.email}) demande à rejoindre {collectivite.nom}.",
        url=url,
        subject=f"Demande d'accès à {collectivite.nom}",
    )
    db.session.commit()
    return demande


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
    if accept:
        db.session.add(Membership(user_id=demande.user_id, collectivite_id=coll.id,
                                  niveau=niveau))
    verdict = "acceptée" if accept else "refusée"
    notifications.notify([demande.user], f"Votre demande d'accès à {coll.nom} a été {verdict}.",
                         subject=f"Demande d'accès à {coll.nom} {verdict}")
    db.session.commit()


# --- members ---------------------------------------------------------------------------

def _invited_user(email: str) -> tuple[User, bool]:
    user = find_user(email)
    if user is not None:
        return user, False
    user = User(email=email)
    db.session.add(user)
    db.session.flush()
    return user, True


def _send_invitation(user: User, created: bool, where: str, by: User, url_for_token) -> None:
    body = f"{by.nom_complet} vous a donné accès à {where} sur TeT back-office."
    if created and url_for_token:
        body += ("\n\nChoisissez votre mot de passe avec ce lien (valable "
                 f"{current_app.config['RESET_TOKEN_MAX_AGE'] // 60} minutes) :\n"
                 + url_for_token(make_reset_token(user)))
    notifications.notify([user], body, subject=f"Invitation : {where}")


def invite_member(collectivite: Collectivite, email: str, niveau: str, by: User,
                  url_for_token=None) -> Membership:
    """Add a member by e-mail; a new person receives a link to choose a password."""
    if niveau not in NIVEAUX_LABELS:
        raise AccountError("Niveau d'accès inconnu.")
    user, created = _invited_user(email)
    if not created and db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.collectivite_id == collectivite.id
    )):
        raise AccountError("Cette personne est déjà membre de la collectivité.")
    membership = Membership(user_id=user.id, collectivite_id=collectivite.id, niveau=niveau)
    db.session.add(membership)
    db.session.flush()
    _send_invitation(user, created, collectivite.nom, by, url_for_token)
    return membership


def invite_opsn_member(opsn: Opsn, email: str, role: str, by: User,
                       url_for_token=None) -> OpsnMembership:
    if role not in ("admin", "membre"):
        raise AccountError("Rôle inconnu.")
    user, created = _invited_user(email)
    if not created and db.session.scalar(select(OpsnMembership.id).where(
        OpsnMembership.user_id == user.id, OpsnMembership.opsn_id == opsn.id
    )):
        raise AccountError("Cette personne est déjà membre de cet OPSN.")
    membership = OpsnMembership(user_id=user.id, opsn_id=opsn.id, role=role)
    db.session.add(membership)
    db.session.flush()
    _send_invitation(user, created, opsn.nom, by, url_for_token)
    return membership


def admin_count(collectivite_id: int) -> int:
    return db.session.scalar(select(func.count(Membership.id)).where(
        Membership.collectivite_id == collectivite_id, Membership.niveau == "admin"
    )) or 0


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
            Membership.id != membership.id,
        ))
        if not others:
            raise AccountError(
                "Impossible : la collectivité doit garder au moins un administrateur."
            )
