"""What the services of the calls for projects share: the refusal, the recipients of the
notifications (in-app and e-mail) and the links they carry."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import select

from tet.comptes import notifications
from tet.comptes.audit import acting_as
from tet.comptes.models import User
from tet.extensions import db
from tet.projets.models import AppelAProjets, Candidature, Dossier, OrganisationMembre

# endpoints of the pages the e-mails link to (served by admin_views.projets)
ENDPOINT_CANDIDATURE = "projets_appels.candidature"  # the organiser's page (id: the call)
ENDPOINT_CANDIDATURE_PORTEUR = "porteur_candidatures.candidature"  # the holder's page


class Refus(ValueError):
    """An action refused, with the French message to show."""


def exiger(condition, message: str) -> None:
    if not condition:
        raise Refus(message)


def texte_de(obj, champ: str, valeur) -> str | None:
    """A typed text for ``obj.champ``: stripped, None when empty, refused (French) when
    longer than its column allows."""
    valeur = str(valeur if valeur is not None else "").strip()
    longueur = getattr(type(obj).__table__.c[champ].type, "length", None)
    exiger(longueur is None or len(valeur) <= longueur,
           f"Texte trop long ({len(valeur)} caractères, au plus {longueur}).")
    return valeur or None


@contextmanager
def journal(qui, action: str):
    """Attribute the changes of the block to ``qui`` (an acteur or a user), with a context
    in the audit log."""
    with acting_as(getattr(qui, "user", qui), context=action[:300]):
        yield


def lien(endpoint: str, **values) -> str:
    """The public link of a page of the views (``admin_views.projets``)."""
    from tet.liens_publics import public_url

    return public_url(endpoint, **values)


def porteurs(dossier: Dossier) -> list[User]:
    """The holder's people: the organisation's members and the dossier's porteur."""
    users = list(db.session.scalars(
        select(User).join(OrganisationMembre, OrganisationMembre.user_id == User.id)
        .where(OrganisationMembre.organisation_id == dossier.organisation_id)
        .order_by(User.id)))
    if dossier.porteur is not None and dossier.porteur not in users:
        users.append(dossier.porteur)
    return users


def organisateurs(appel: AppelAProjets) -> list[User]:
    """Those who run the call: the organiser's admins and éditions, or support (national)."""
    if appel.collectivite_id is not None:
        return notifications.collectivite_writers(appel.collectivite_id)
    return list(db.session.scalars(select(User).where(User.is_support.is_(True),
                                                      User.active.is_(True))))


def avertir_porteur(cand: Candidature, message: str, sujet: str) -> None:
    notifications.notify(porteurs(cand.dossier), message,
                         lien(ENDPOINT_CANDIDATURE_PORTEUR, id=cand.id), subject=sujet)


def avertir_organisateurs(cand: Candidature, message: str, sujet: str) -> None:
    notifications.notify(organisateurs(cand.appel), message,
                         lien(ENDPOINT_CANDIDATURE, id=cand.appel_id, cid=cand.id),
                         subject=sujet)
