"""Sign-up and join requests, proven by an e-mailed link before anything is created.

``demander`` checks the form and e-mails the address: a signed, expiring link carrying the
request, or, when the address already has an account, a message saying so. Nothing is
stored and the page answers the same either way. ``confirmer`` (the link followed, a
password chosen) creates the account and files the request: a join request to the admins of
a collectivité that has one, otherwise a first-admin request that waits for the national
support (``tet.comptes.validation``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.comptes.demandes import DemandeAdhesion
from tet.comptes.models import EN_ATTENTE, TYPES_COLLECTIVITE_LABELS
from tet.comptes import (
    services as accounts,
    notifications,
    referentiel as referentiel_collectivites,
    siren,
)
from tet import liens_publics as links
from tet.comptes.services import AccountError
from tet.mail import send_mail

PURPOSE = "inscription"
SENT = ("Si cette adresse peut être utilisée, un e-mail vient de vous être envoyé : suivez "
        "le lien qu'il contient pour confirmer votre adresse et choisir votre mot de passe.")


@dataclass
class Demande:
    """What a visitor asks for; carried, signed, in the e-mailed link."""

    email: str
    prenom: str
    nom: str
    fonction: str
    siren: str
    siret: str | None = None
    collectivite: str | None = None  # name and type, for a collectivité without account
    type: str | None = None
    departement: str | None = None
    message: str | None = None


def _checked(*, email: str, prenom: str, nom: str, fonction: str, identifiant: str,
             collectivite: str | None, type_: str | None, departement: str | None,
             message: str | None) -> Demande:
    """The request, or AccountError for what does not depend on the address (the SIREN,
    the name and type of a collectivité unknown here, even to the official list loaded by
    ``seed --france``)."""
    ident, siret, error = siren.split_identifier(identifiant)
    if error:
        raise AccountError(error)
    demande = Demande(email=(email or "").strip().lower(), prenom=(prenom or "").strip(),
                      nom=(nom or "").strip(), fonction=(fonction or "").strip(), siren=ident,
                      siret=siret, message=(message or "").strip() or None)
    if accounts.find_collectivite_by_siren(ident) is None:  # not even in the official list
        refus = referentiel_collectivites.refus_siren(ident)
        if refus:
            raise AccountError(refus)
        demande.collectivite = (collectivite or "").strip() or None
        demande.type = type_ or None
        demande.departement = departement or None
        if not demande.collectivite or demande.type not in TYPES_COLLECTIVITE_LABELS:
            raise AccountError("Cette collectivité n'a pas encore de compte : indiquez son "
                               "nom et son type.")
    return demande


def demander(*, email: str, prenom: str, nom: str, fonction: str, identifiant: str,
             collectivite: str | None = None, type_: str | None = None,
             departement: str | None = None, message: str | None = None) -> None:
    """Check the request and e-mail the address (a link, or "you already have an
    account"): nothing is stored, the caller answers the same either way."""
    demande = _checked(email=email, prenom=prenom, nom=nom, fonction=fonction,
                       identifiant=identifiant, collectivite=collectivite, type_=type_,
                       departement=departement, message=message)
    user = accounts.find_user(demande.email)
    if user is not None and user.email_verifie:
        _mail_existing_account(user)
    else:
        _mail_link(demande)


def demander_connecte(user: User, *, fonction: str, identifiant: str,
                      collectivite: str | None = None, type_: str | None = None,
                      departement: str | None = None, message: str | None = None) -> str:
    """A signed-in user (address proven) asks for another collectivité: filed at once.
    The caller commits."""
    demande = _checked(email=user.email, prenom=user.prenom, nom=user.nom, fonction=fonction,
                       identifiant=identifiant, collectivite=collectivite, type_=type_,
                       departement=departement, message=message)
    user.fonction = demande.fonction or user.fonction
    return deposer(user, demande)


def _mail_link(demande: Demande) -> None:
    hours = current_app.config["SIGNUP_TOKEN_MAX_AGE"] // 3600
    link = links.public_url("auth.confirmer",
                            token=accounts.make_token(PURPOSE, asdict(demande)))
    send_mail(demande.email, "Confirmez votre adresse e-mail",
              f"Bonjour {demande.prenom},\n\nVous avez demandé un accès à TeT back-office "
              f"(SIREN {demande.siren}). Pour confirmer votre adresse et choisir votre mot "
              f"de passe, suivez ce lien (valable {hours} heures) :\n{link}\n\n"
              "Si vous n'avez rien demandé, ignorez ce message : aucun compte n'est créé.")


def _mail_existing_account(user: User) -> None:
    send_mail(user.email, "Vous avez déjà un compte",
              "Bonjour,\n\nUne demande d'accès à TeT back-office vient d'être faite avec "
              "cette adresse, mais elle a déjà un compte : rien n'a été créé.\n\n"
              f"Connectez-vous : {links.public_url('auth.login')}\n"
              "Une fois connecté(e), vous pouvez demander l'accès à une collectivité : "
              f"{links.public_url('auth.demande_acces')}\n"
              "Mot de passe oublié ? Choisissez-en un nouveau avec ce lien "
              f"{accounts.reset_link_text(user)}\n\n"
              "Si vous n'avez rien demandé, ignorez ce message.")


def lire(token: str) -> Demande:
    """The request of a link, refused once it has served (the address is then proven)."""
    data = accounts.read_token(PURPOSE, token, current_app.config["SIGNUP_TOKEN_MAX_AGE"])
    try:
        demande = Demande(**data)
    except TypeError:
        raise AccountError("Ce lien n'est pas valide.")
    user = accounts.find_user(demande.email)
    if user is not None and user.email_verifie:
        raise AccountError("Ce lien a déjà servi : connectez-vous, ou réinitialisez votre "
                           "mot de passe.")
    return demande


def confirmer(demande: Demande, password: str) -> tuple[User, str]:
    """Create the account of a request read by ``lire`` (address proven) and file it. The
    caller commits."""
    user = accounts.find_user(demande.email)  # None, or an invitation never followed
    if user is None:
        user = User(email=demande.email)
        db.session.add(user)
    user.prenom, user.nom = demande.prenom, demande.nom
    user.fonction = demande.fonction or None
    accounts.choose_password(user, password)
    db.session.flush()
    return user, deposer(user, demande)


def deposer(user: User, demande: Demande) -> str:
    """File the request of a proven address: ``"adhesion"`` (to the collectivité's admins),
    ``"creation"`` (first admin, waits for the support) or ``"deja"`` (already has access
    or a request waiting)."""
    coll = accounts.find_collectivite_by_siren(demande.siren)
    if coll is not None and (db.session.scalar(select(Membership.id).where(
            Membership.user_id == user.id, Membership.collectivite_id == coll.id))
            or db.session.scalar(select(DemandeAdhesion.id).where(
                DemandeAdhesion.user_id == user.id, DemandeAdhesion.collectivite_id == coll.id,
                DemandeAdhesion.statut == "demandee"))):
        return "deja"
    if coll is not None and accounts.has_admin(coll.id):
        _file_adhesion(user, coll, demande.message)
        return "adhesion"
    if coll is None:
        coll = Collectivite(nom=demande.collectivite, type=demande.type, siren=demande.siren,
                            siret=demande.siret, departement=demande.departement,
                            statut=EN_ATTENTE)
        db.session.add(coll)
        db.session.flush()
    db.session.add(Membership(user_id=user.id, collectivite_id=coll.id, niveau="admin",
                              statut=EN_ATTENTE))
    return "creation"


def _file_adhesion(user: User, coll: Collectivite, message: str | None) -> None:
    """A join request, sent to the collectivité's admins (the address is proven)."""
    db.session.add(DemandeAdhesion(user_id=user.id, collectivite_id=coll.id,
                                   message=message))
    fonction = f", {user.fonction}" if user.fonction else ""
    notifications.notify(
        notifications.collectivite_admins(coll.id),
        f"{user.nom_complet}{fonction} ({user.email}, adresse vérifiée) demande à rejoindre "
        f"{coll.nom}.",
        url=links.public_url("demandeadhesion.index_view"),
        subject=f"Demande d'accès à {coll.nom}",
    )
