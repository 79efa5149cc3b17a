"""Reading an invitation to a committee before accepting it (``tet.projets.comite``)."""
from __future__ import annotations

from itsdangerous import BadSignature

from tet.extensions import db
from tet.projets import comite
from tet.projets.models import AppelAProjets, MembreComite


def appel_invite(token: str) -> AppelAProjets | None:
    """The call an invitation (still pending) is for, or None (bad, expired, used link)."""
    try:
        data = comite._serializer().loads(token, max_age=comite.INVITATION_JOURS * 86400)
    except BadSignature:  # expired included (SignatureExpired is a BadSignature)
        return None
    membre = db.session.get(MembreComite, data.get("m")) if isinstance(data, dict) else None
    if membre is None or membre.user_id is not None or membre.email != data.get("e"):
        return None
    return db.session.get(AppelAProjets, membre.appel_id)
