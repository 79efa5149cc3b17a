"""Two years of the demo fiches' life, for ``flask seed --demo``: when each fiche was
entered, its statut moves and its notes de suivi, written at their past dates as the history
would have recorded them — a fiche version and an audit row per statut move, a note with its
audit row, one changeset per event.

Deterministic and idempotent: an event's changeset id derives from the fiche's title and the
event's rank, and a fiche whose creation already carries its changeset id is left alone.
"""
from __future__ import annotations

import copy
import json
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select, update

from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, User
from tet.extensions import db
from tet.plans.models import FicheAction, NoteSuivi
from tet.plans.versions_fiche import FicheVersion, etats

DATA = Path(__file__).with_name("demo_plans.json")
ESPACE = uuid.UUID("5b0f3c3e-6f52-4d1e-9a57-7e2d1c0a4b14")  # of the demo's changeset ids


class HistoireIncoherente(ValueError):
    """The events of a fiche do not lead to its statut."""


def instant(jour: str, rang: int) -> datetime:
    """A working-hours instant of that day, later for later events of the same day."""
    return (datetime.combine(date.fromisoformat(jour), time(8, 30), tzinfo=timezone.utc)
            + timedelta(minutes=7 * rang))


def lot(siren: str, titre: str, rang: int) -> str:
    return str(uuid.uuid5(ESPACE, f"{siren}|{titre}|{rang}"))


def load_demo_historique(data_path: Path = DATA) -> int:
    """Write the history of the demo fiches that have none yet; the number written."""
    data = json.loads(data_path.read_text(encoding="utf-8"))
    written = 0
    for siren in data["collectivites"]:
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        users = {u.email: u for u in db.session.scalars(select(User).join(Membership).where(
            Membership.collectivite_id == coll.id))}
        fiches = {f.titre: f for f in db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == coll.id, FicheAction.deleted_at.is_(None)))}
        for titre, spec in data.get("fiches", {}).items():
            histoire, fiche = spec.get("historique"), fiches.get(titre)
            if not histoire or fiche is None or _deja_ecrite(lot(siren, titre, 0)):
                continue
            _ecrire(fiche, histoire, users, siren)
            written += 1
    db.session.commit()
    return written


def _deja_ecrite(lot_id: str) -> bool:
    return db.session.scalar(select(FicheVersion.id).where(FicheVersion.lot == lot_id)
                             .limit(1)) is not None or db.session.scalar(
        select(AuditLog.id).where(AuditLog.lot == lot_id).limit(1)) is not None


def _ecrire(fiche: FicheAction, histoire: dict, users: dict, siren: str) -> None:
    evenements = histoire.get("evenements", [])
    statut = histoire.get("statut_initial", "a_venir")
    final = statut
    for e in evenements:
        final = e.get("statut", final)
    if final != fiche.statut:
        raise HistoireIncoherente(f"« {fiche.titre} » : les événements mènent à « {final} », "
                                  f"la fiche est « {fiche.statut} ».")
    etat = etats([fiche.id])[fiche.id]
    createur = users.get(evenements[0]["par"]) if evenements else None
    cree = instant(histoire["cree"], 0)
    _creation(fiche, statut, cree, createur, lot(siren, fiche.titre, 0))
    dernier, par = cree, createur
    for rang, e in enumerate(evenements, start=1):
        at, user = instant(e["date"], rang), users.get(e.get("par"))
        common = {"at": at, "user_id": getattr(user, "id", None),
                  "user_email": getattr(user, "email", None), "context": None,
                  "lot": lot(siren, fiche.titre, rang)}
        if e.get("statut"):
            changes = {"statut": [statut, e["statut"]]}
            statut = e["statut"]
            state = copy.deepcopy(etat)
            state["champs"]["statut"] = statut
            db.session.execute(insert(FicheVersion.__table__).values(
                fiche_id=fiche.id, collectivite_id=fiche.collectivite_id, etat=state,
                changes=changes, **common))
            _audit(common, "update", "FicheAction", fiche.id, fiche.titre,
                   fiche.collectivite_id, changes)
        if e.get("note"):
            jour = date.fromisoformat(e["date"])
            note_id = db.session.execute(insert(NoteSuivi.__table__).values(
                fiche_id=fiche.id, date=jour, texte=e["note"], auteur_id=common["user_id"],
                created_at=at).returning(NoteSuivi.__table__.c.id)).scalar_one()
            _audit(common, "create", "NoteSuivi", note_id, f"Note du {jour:%d/%m/%Y}",
                   fiche.collectivite_id, {"fiche_id": [None, fiche.id],
                                           "date": [None, jour.isoformat()],
                                           "texte": [None, e["note"]],
                                           "auteur_id": [None, common["user_id"]]})
        dernier, par = at, user or par
    db.session.execute(update(FicheAction.__table__).where(
        FicheAction.__table__.c.id == fiche.id).values(
        created_at=cree, updated_at=dernier, created_by_id=getattr(createur, "id", None),
        updated_by_id=getattr(par, "id", None)))


def _creation(fiche: FicheAction, statut: str, at: datetime, user, lot_id: str) -> None:
    """The seed's versions and audit rows of the fiche become its creation, at its date
    and with its first statut (one changeset of its own)."""
    who = {"user_id": getattr(user, "id", None), "user_email": getattr(user, "email", None),
           "context": None}
    versions = list(db.session.scalars(select(FicheVersion).where(
        FicheVersion.fiche_id == fiche.id).order_by(FicheVersion.id)))
    rows = list(db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == "FicheAction", AuditLog.object_id == fiche.id)
        .order_by(AuditLog.id)))
    seed_lot = versions[0].lot if versions else None  # the seed's save that created it
    for rang, item in enumerate(versions + rows):
        item.at = at + timedelta(seconds=rang)
        if item.lot == seed_lot:
            item.lot = lot_id
        for key, value in who.items():
            setattr(item, key, value)
        if isinstance(item, FicheVersion):
            state = copy.deepcopy(item.etat)
            state["champs"]["statut"] = statut
            item.etat = state
        if "statut" in (item.changes or {}):
            item.changes = {**item.changes, "statut": [None, statut]}


def _audit(common: dict, action: str, object_type: str, object_id: int, nom: str,
           collectivite_id: int, changes: dict) -> None:
    db.session.execute(insert(AuditLog.__table__).values(
        action=action, object_type=object_type, object_id=object_id, object_repr=nom[:300],
        collectivite_id=collectivite_id, opsn_id=None, changes=changes, **common))
