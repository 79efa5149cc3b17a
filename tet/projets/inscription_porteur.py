"""Sign-up of a project holder, proven by an e-mailed link before anything is created (the
same mechanism as ``tet.comptes.inscription``): ``demander`` checks the organisation and
e-mails the address a signed, expiring link carrying the request (or, when the address
already has a proven account, a message saying how to add the organisation once signed
in); nothing is stored. ``confirmer`` (link followed, password chosen) creates the account
and the organisation with that account as its first admin.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import current_app

from tet import liens_publics as links
from tet.comptes import services as accounts
from tet.comptes.models import User
from tet.comptes.services import AccountError
from tet.extensions import db
from tet.mail import send_mail
from tet.projets import organisations
from tet.projets.commun import Refus
from tet.projets.models import Organisation

PURPOSE = "inscription_porteur"
# a salt of its own: a collectivité sign-up link never serves here, nor the reverse
accounts.SALTS.setdefault(PURPOSE, "tet-inscription-porteur")
SENT = ("Si cette adresse peut être utilisée, un e-mail vient de vous être envoyé : suivez "
        "le lien qu'il contient pour confirmer votre adresse et choisir votre mot de passe. "
        "Votre organisation sera alors créée.")


@dataclass
class DemandePorteur:
    """What a visitor asks for; carried, signed, in the e-mailed link."""

    email: str
    prenom: str
    nom: str
    type: str
    organisation: str
    identifiant: str = ""
    adresse: str | None = None
    code_postal: str | None = None
    commune: str | None = None

    def champs(self) -> dict:
        """The fields of ``organisations.creer``."""
        return {"nom": self.organisation, "type": self.type, "identifiant": self.identifiant,
                "adresse": self.adresse, "code_postal": self.code_postal,
                "commune": self.commune, "email_contact": self.email}


def demander(*, email: str, prenom: str, nom: str, type_: str, organisation: str,
             identifiant: str = "", adresse: str | None = None,
             code_postal: str | None = None, commune: str | None = None) -> None:
    """Check the request and e-mail the address; the caller answers the same either way."""
    demande = DemandePorteur(
        email=(email or "").strip().lower(), prenom=(prenom or "").strip(),
        nom=(nom or "").strip(), type=type_ or "", organisation=(organisation or "").strip(),
        identifiant=(identifiant or "").strip(), adresse=(adresse or "").strip() or None,
        code_postal=(code_postal or "").strip() or None,
        commune=(commune or "").strip() or None)
    if not (demande.email and demande.prenom and demande.nom):
        raise Refus("Indiquez votre prénom, votre nom et votre adresse e-mail.")
    organisations.nouvelle(demande.champs())  # checks only: never added
    user = accounts.find_user(demande.email)
    if user is not None and user.email_verifie:
        _mail_compte_existant(user)
    else:
        _mail_lien(demande)


def _mail_lien(demande: DemandePorteur) -> None:
    hours = current_app.config["SIGNUP_TOKEN_MAX_AGE"] // 3600
    link = links.public_url("inscription_porteur.confirmer",
                            token=accounts.make_token(PURPOSE, asdict(demande)))
    send_mail(demande.email, "Confirmez votre adresse e-mail",
              f"Bonjour {demande.prenom},\n\nVous avez demandé à inscrire « "
              f"{demande.organisation} » comme porteur de projets sur TeT back-office. Pour "
              f"confirmer votre adresse et choisir votre mot de passe, suivez ce lien "
              f"(valable {hours} heures) :\n{link}\n\n"
              "Si vous n'avez rien demandé, ignorez ce message : rien n'est créé.")


def _mail_compte_existant(user: User) -> None:
    send_mail(user.email, "Vous avez déjà un compte",
              "Bonjour,\n\nUne inscription de porteur de projets vient d'être demandée avec "
              "cette adresse, mais elle a déjà un compte : rien n'a été créé.\n\n"
              "Connectez-vous, puis inscrivez votre organisation : "
              f"{links.public_url('porteur_organisation.nouvelle')}\n"
              "Mot de passe oublié ? Choisissez-en un nouveau avec ce lien "
              f"{accounts.reset_link_text(user)}\n\n"
              "Si vous n'avez rien demandé, ignorez ce message.")


def lire(token: str) -> DemandePorteur:
    """The request of a link, refused once it has served (the address is then proven)."""
    data = accounts.read_token(PURPOSE, token, current_app.config["SIGNUP_TOKEN_MAX_AGE"])
    try:
        demande = DemandePorteur(**data)
    except TypeError:
        raise AccountError("Ce lien n'est pas valide.") from None
    user = accounts.find_user(demande.email)
    if user is not None and user.email_verifie:
        raise AccountError("Ce lien a déjà servi : connectez-vous, ou réinitialisez votre "
                           "mot de passe.")
    return demande


def confirmer(demande: DemandePorteur, password: str) -> tuple[User, Organisation]:
    """Create the account (address proven) and its organisation, the account its admin.
    ``AccountError`` (password) or ``Refus`` (the organisation, e.g. its SIREN taken since
    the request). The caller commits."""
    user = accounts.find_user(demande.email)  # None, or an invitation never followed
    if user is None:
        user = User(email=demande.email)
        db.session.add(user)
    user.prenom, user.nom = demande.prenom, demande.nom
    accounts.choose_password(user, password)
    db.session.flush()
    return user, organisations.creer(user, demande.champs())
