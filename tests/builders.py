"""Builders for test data beyond the demo seed (call inside an app context)."""
from __future__ import annotations

from tet.extensions import db
from tet.comptes.models import (
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
)
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.colonnes import utcnow
from tet.comptes import services as accounts
from tet.comptes.siren import with_check_digit

_counter = iter(range(10_000, 99_999))


def user(email: str, password: str = "tet-demo", verified: bool = True, **fields) -> User:
    u = User(email=email, prenom=fields.pop("prenom", "Test"), nom=fields.pop("nom", "Test"),
             email_verifie_le=utcnow() if verified else None, **fields)
    accounts.set_password(u, password, enforce_policy=False)
    db.session.add(u)
    db.session.flush()
    return u


def collectivite(nom: str, type_: str = "commune", departement: str = "67",
                 **fields) -> Collectivite:
    siren = fields.pop("siren", None) or with_check_digit(f"21{next(_counter):06d}")
    c = Collectivite(nom=nom, type=type_, siren=siren, departement=departement, **fields)
    db.session.add(c)
    db.session.flush()
    return c


def member(u: User, c: Collectivite, niveau: str) -> Membership:
    m = Membership(user_id=u.id, collectivite_id=c.id, niveau=niveau)
    db.session.add(m)
    db.session.flush()
    return m


def opsn(nom: str, departements: list[str]) -> Opsn:
    o = Opsn(nom=nom, siren=with_check_digit(f"25{next(_counter):06d}"),
             departements=[OpsnDepartement(code=d) for d in departements])
    db.session.add(o)
    db.session.flush()
    return o


def opsn_member(u: User, o: Opsn, role: str) -> OpsnMembership:
    m = OpsnMembership(user_id=u.id, opsn_id=o.id, role=role)
    db.session.add(m)
    db.session.flush()
    return m


def rattachement(c: Collectivite, o: Opsn, statut: str) -> Rattachement:
    r = Rattachement(collectivite_id=c.id, opsn_id=o.id, statut=statut)
    db.session.add(r)
    db.session.flush()
    return r


def demande(u: User, c: Collectivite) -> DemandeAdhesion:
    d = DemandeAdhesion(user_id=u.id, collectivite_id=c.id, statut="demandee")
    db.session.add(d)
    db.session.flush()
    return d
