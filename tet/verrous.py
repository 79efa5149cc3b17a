"""Optimistic locking (conventions.md, habit 13).

The edited rows carry a ``version`` (``VersionMixin``). An edit form carries the version it
was loaded with and a signed snapshot of the values it showed (the *base*); a service
compares the submitted version with the current one before applying anything and raises
``Perime`` when they differ. ``comparer`` then puts, field by field, the value when the form
was opened, the other person's current value and the submitted one side by side, so the
user keeps theirs, takes the other's, or merges. A concurrent flush (``StaleDataError``)
becomes the same ``Perime``.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from tet.extensions import db
from tet.comptes import historique_libelles
from tet.comptes.journal import AuditLog
from tet.formats import date_fr, date_heure, nombre
from tet.nombres import is_finite

LIBRE = object()  # no check: imports, seeds, copies run by the system
SALT = "tet-verrou-base"


class Perime(Exception):
    """The row changed since the form was loaded: nothing was applied."""


def version_of(obj) -> int:
    """The current version of a row; 0 for a row that does not exist (yet, or any more)."""
    return 0 if obj is None else obj.version


def lire_version(raw) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def verifier(obj, soumise) -> None:
    """Refuse (``Perime``) when ``soumise`` — the version the form was loaded with — is not
    the current one; a missing or garbled version is refused too (it cannot be proven fresh).
    """
    if soumise is LIBRE:
        return
    if lire_version(soumise) != version_of(obj):
        raise Perime()


@contextmanager
def sans_ecrasement():
    """Around a flush or commit: a concurrent update of the same version (``StaleDataError``)
    rolls back and becomes ``Perime``."""
    try:
        yield
    except StaleDataError as exc:
        db.session.rollback()
        raise Perime() from exc


def commit() -> None:
    with sans_ecrasement():
        db.session.commit()


# --- the base: what the form showed when it was opened -------------------------------------

def fige(valeur, texte: str | None = None) -> list:
    """``[canonical value, French text]`` of one form value (JSON-able, comparable)."""
    if isinstance(valeur, (list, tuple, set)):
        items = [fige(v) for v in valeur]
        items = [i for i in items if i[0] is not None]
        items.sort(key=lambda i: str(i[0]))
        return [[i[0] for i in items] or None, texte if texte is not None else
                ", ".join(i[1] for i in items)]
    if isinstance(valeur, str):
        valeur = valeur.replace("\r\n", "\n").strip() or None
    if isinstance(valeur, (Decimal, float)):  # an amount, a value: « 12 500,5 »
        texte = texte if texte is not None else nombre(valeur, max_decimales=4)
        valeur = format(Decimal(str(valeur)).normalize(), "f") if is_finite(valeur) \
            else str(valeur)
    if isinstance(valeur, datetime):
        return [valeur.isoformat(), texte or date_heure(valeur)]
    if isinstance(valeur, date):
        return [valeur.isoformat(), texte or date_fr(valeur)]
    if hasattr(valeur, "__table__"):  # a model row: its id, shown by name
        return [getattr(valeur, "id", None), texte or str(valeur)]
    if isinstance(valeur, bool):
        return [valeur, texte or ("Oui" if valeur else "Non")]
    if valeur is not None and not isinstance(valeur, (int, float, str)):
        valeur = str(valeur)
    if texte is None:
        texte = "—" if valeur is None else str(valeur)
    return [valeur, texte]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def signer(valeurs: dict[str, list]) -> str:
    """The base carried by the form (signed, compressed): values and the time of loading."""
    return _serializer().dumps({"at": datetime.now().astimezone().isoformat(), "v": valeurs})


def lire_base(token) -> tuple[dict | None, datetime | None]:
    try:
        data = _serializer().loads(token or "")
        return dict(data["v"]), datetime.fromisoformat(data["at"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None, None


# --- the comparison ---------------------------------------------------------------------

@dataclass
class Champ:
    nom: str
    libelle: str
    base: str | None  # None: unknown (the form carried no base)
    autre: str
    mien: str
    change_autre: bool
    change_mien: bool
    conflit: bool  # both changed it, differently
    par: AuditLog | None = None


def comparer(libelles: dict[str, str], base: dict | None, autre: dict, mien: dict
             ) -> list[Champ]:
    """The fields changed by either side since the form was opened (every field that differs
    when the base is unknown), in the order of ``libelles``."""
    vide = [None, "—"]
    champs = []
    for nom, libelle in libelles.items():
        a, m = autre.get(nom, vide), mien.get(nom, vide)
        if base is None:
            b, change_autre, change_mien = None, a[0] != m[0], a[0] != m[0]
        else:
            b = base.get(nom, vide)
            change_autre, change_mien = a[0] != b[0], m[0] != b[0]
        if change_autre or change_mien:
            champs.append(Champ(nom, libelle, None if b is None else b[1], a[1], m[1],
                                change_autre, change_mien,
                                change_autre and change_mien and a[0] != m[0]))
    return champs


def ecraserait(champs: list[Champ]) -> bool:
    """Would saving the submitted values undo something the other person changed?"""
    return any(c.change_autre and c.autre != c.mien for c in champs)


def historique(objets: list[tuple[str, int]], depuis: datetime | None) -> list[AuditLog]:
    """Who changed these rows, and when, since the form was loaded (latest first)."""
    objets = [(t, i) for t, i in objets if i is not None]
    if not objets:
        return []
    query = select(AuditLog).where(or_(*[
        (AuditLog.object_type == t) & (AuditLog.object_id == i) for t, i in objets[:200]]))
    if depuis is not None:
        query = query.where(AuditLog.at >= depuis)
    return list(db.session.scalars(query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                                   .limit(20)))


def attribuer(champs: list[Champ], entrees: list[AuditLog], attributs: dict | None = None,
              lignes: dict[str, int] | None = None) -> None:
    """Name, for each field the other person changed, the latest audit entry touching it
    (``attributs``: form field → model attribute when they differ; ``lignes``: form field →
    id of its own row, when the form edits several rows)."""
    attributs = attributs or {}
    for champ in champs:
        if not champ.change_autre:
            continue
        if lignes is not None:
            champ.par = next((e for e in entrees if e.object_id == lignes.get(champ.nom)),
                             None)
            continue
        cle = attributs.get(champ.nom, champ.nom)
        champ.par = next((e for e in entrees if cle in (e.changes or {})),
                         entrees[0] if entrees else None)


def champs_touches(entree: AuditLog, libelles: dict[str, str],
                   attributs: dict | None = None) -> list[str]:
    """The fields an audit entry changed, named as the form names them (else as the audit
    log does, else in words): « Statut, Pilotes », never ``referentiel_actions``."""
    par_attribut = {attributs.get(k, k): v for k, v in libelles.items()} if attributs \
        else libelles
    noms = []
    for cle in (entree.changes or {}):
        if cle in historique_libelles.MASQUES:
            continue
        nom = par_attribut.get(cle) or historique_libelles.libelle(entree.object_type or "", cle)
        if nom not in noms:
            noms.append(nom)
    return noms
