"""The committee of a call: members of the organiser, of partner collectivités, or outside
experts invited by e-mail.

An account with a proven address is seated at once. Any other address receives a signed
invitation (``jeton``, valid ``INVITATION_JOURS`` days) and, when it has no usable account
yet, the link to choose a password; the seat counts (quorum, evaluation) once the invited
person, signed in with that address, accepted it (``accepter``).
"""
from __future__ import annotations

import re

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from tet.colonnes import utcnow
from tet.comptes import services as accounts, notifications
from tet.comptes.models import User
from tet.extensions import db
from tet.projets.commun import Refus, exiger, journal, lien
from tet.projets.models import AppelAProjets, MembreComite
from tet.projets.permissions import gere_appel

SALT = "tet-comite-invitation"
INVITATION_JOURS = 30
ENDPOINT_ACCEPTER = "projets_invitation.accepter"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def jeton(membre: MembreComite) -> str:
    return _serializer().dumps({"m": membre.id, "e": membre.email})


def ajouter(a, appel: AppelAProjets, origine: str, user: User | None = None,
            email: str | None = None, collectivite_id: int | None = None) -> MembreComite:
    """Seat ``user`` or invite ``email`` on the committee of ``appel``."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel compose son comité.")
    exiger(appel.statut != "decide", "Le comité d'un appel décidé ne change plus.")
    exiger(origine in ("organisateur", "partenaire", "expert"), "Origine inconnue.")
    if collectivite_id is not None:
        from tet.comptes.models import Collectivite

        exiger(db.session.get(Collectivite, collectivite_id) is not None,
               "Collectivité partenaire inconnue.")
    if user is None:
        email = (email or "").strip().lower()
        exiger(EMAIL.match(email), "Adresse e-mail invalide.")
        found = accounts.find_user(email)
        if found is not None and found.email_verifie and found.active:
            user, email = found, None
    if user is not None:
        exiger(db.session.scalar(select(MembreComite.id).where(
            MembreComite.appel_id == appel.id, MembreComite.user_id == user.id)) is None,
            "Cette personne siège déjà au comité.")
    else:
        exiger(db.session.scalar(select(MembreComite.id).where(
            MembreComite.appel_id == appel.id, MembreComite.email == email)) is None,
            "Cette adresse est déjà invitée au comité.")
    with journal(a, f"Comité de l'appel n°{appel.id} : ajout d'un membre"):
        membre = MembreComite(appel_id=appel.id, user_id=user.id if user else None,
                              email=email, origine=origine, collectivite_id=collectivite_id,
                              invite_le=utcnow(), accepte_le=utcnow() if user else None)
        db.session.add(membre)
        db.session.flush()
    if user is not None:
        notifications.notify([user], f"Vous siégez au comité de l'appel « {appel.titre} ».",
                             subject=f"Comité de l'appel « {appel.titre} »")
    else:
        _inviter(a, appel, membre)
    return membre


def _inviter(a, appel: AppelAProjets, membre: MembreComite) -> None:
    from tet.mail import send_mail

    url = lien(ENDPOINT_ACCEPTER, jeton=jeton(membre))
    corps = (f"{a.user.nom_complet if a.user else 'L’organisateur'} vous invite à siéger au "
             f"comité d'évaluation de l'appel à projets « {appel.titre} » sur TeT "
             f"back-office.\n\nAcceptez l'invitation (valable {INVITATION_JOURS} jours) : "
             f"{url}")
    user = accounts.find_user(membre.email)
    if user is None or not user.email_verifie:
        user, _ = accounts.invited_user(membre.email)
        corps += ("\n\nVous n'avez pas encore de compte : choisissez d'abord votre mot de "
                  "passe " + accounts.reset_link_text(user))
    send_mail(membre.email, f"Invitation au comité de l'appel « {appel.titre} »", corps)


def accepter(token: str, user: User) -> MembreComite:
    """Seat ``user`` on the committee it was invited to, if the invitation is for its
    (proven) address."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_JOURS * 86400)
    except SignatureExpired:
        raise Refus("Cette invitation a expiré : demandez-en une nouvelle.") from None
    except BadSignature:
        raise Refus("Ce lien d'invitation n'est pas valide.") from None
    membre = db.session.get(MembreComite, data.get("m")) if isinstance(data, dict) else None
    exiger(membre is not None and membre.email == data.get("e") and membre.user_id is None,
           "Cette invitation n'est plus valide (déjà acceptée ou retirée).")
    exiger(user.email_verifie and user.email == membre.email,
           "Cette invitation est adressée à une autre adresse e-mail.")
    exiger(db.session.scalar(select(MembreComite.id).where(
        MembreComite.appel_id == membre.appel_id, MembreComite.user_id == user.id)) is None,
        "Vous siégez déjà à ce comité.")
    with journal(user, "Comité : invitation acceptée"):
        membre.user_id, membre.accepte_le = user.id, utcnow()
        db.session.flush()
    return membre


def retirer(a, membre: MembreComite) -> None:
    """Remove a seat (its notes and votes go with it) while the call is not decided."""
    exiger(gere_appel(a, membre.appel), "Seul l'organisateur de l'appel compose son comité.")
    exiger(membre.appel.statut != "decide", "Le comité d'un appel décidé ne change plus.")
    with journal(a, f"Comité de l'appel n°{membre.appel_id} : retrait d'un membre"):
        db.session.delete(membre)
        db.session.flush()
