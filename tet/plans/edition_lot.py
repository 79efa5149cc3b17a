"""Editing a selection of fiches at once: statut, priorité, pilote (added or replacing the
others), a place in a plan axe.

Each fiche is read in the acteur's scope and checked by the same rules as its own page
(``tet.actions``: « modifier » for statut and priorité, « ranger » — who writes the plans —
for pilotes and axes); the others are ignored and counted. Every fiche changed gets a new
version (optimistic locking) and one audit entry, all in the same context (the lot).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from tet import verrous
from tet.actions import can
from tet.comptes.audit import acting_as
from tet.comptes.models import Membership, User
from tet.comptes.permissions import Acteur, policy_for
from tet.extensions import db
from tet.plans.models import PRIORITES, STATUTS, Axe, FicheAction, Plan
from tet.nombres import parse_id

LOT_MAX = 500  # fiches per change (and well under the 1,000 parts of a posted form)
OPERATIONS = {  # name: (French label, right asked on each fiche)
    "statut": ("Changer le statut", "modifier"),
    "priorite": ("Changer la priorité", "modifier"),
    "pilote_ajout": ("Ajouter un pilote", "ranger"),
    "pilote_remplace": ("Remplacer les pilotes", "ranger"),
    "axe": ("Ranger dans un axe", "ranger"),
}
HORS_PERIMETRE = "introuvables ou hors de votre collectivité"
NON_MODIFIABLE = "que vous ne pouvez pas modifier"
AUTRE_COLLECTIVITE = "d’une autre collectivité que le pilote ou l’axe choisi"


class LotError(ValueError):
    """A refused change of a selection (French message)."""


def _fiches(n: int) -> str:
    return f"{n} fiche" + ("s" if n > 1 else "")


@dataclass
class Bilan:
    modifiees: int = 0
    a_jour: int = 0
    ignorees: dict[str, int] = field(default_factory=dict)

    def ignorer(self, raison: str) -> None:
        self.ignorees[raison] = self.ignorees.get(raison, 0) + 1

    def message(self) -> str:
        """« 12 fiches modifiées, 2 ignorées (1 introuvable…, 1 que vous…). »"""
        n = self.modifiees
        parts = [f"{_fiches(n)} modifiée" + ("s" if n > 1 else "")]
        if self.a_jour:
            parts.append(f"{self.a_jour} déjà à jour")
        total = sum(self.ignorees.values())
        if total:
            detail = ", ".join(f"{k} {raison}" for raison, k in self.ignorees.items())
            parts.append(f"{total} ignorée" + ("s" if total > 1 else "") + f" ({detail})")
        return ", ".join(parts) + "."


def lire_ids(raw_ids) -> list[int]:
    """The selected ids, deduplicated; more than ``LOT_MAX`` is refused."""
    ids = list(dict.fromkeys(i for i in (parse_id(r) for r in raw_ids) if i is not None))
    if not ids:
        raise LotError("Sélectionnez au moins une fiche.")
    if len(ids) > LOT_MAX:
        raise LotError(f"La sélection compte {len(ids)} fiches : une modification groupée "
                       f"en porte {LOT_MAX} au plus. Affinez les filtres ou modifiez-la en "
                       f"plusieurs fois.")
    return ids


def _valeur(operation: str, raw: str | None):
    """The target of the change, checked: a code, or the pilote / axe row."""
    raw = (raw or "").strip()
    if operation == "statut":
        if raw not in dict(STATUTS):
            raise LotError("Choisissez un statut.")
        return raw
    if operation == "priorite":
        if raw and raw not in dict(PRIORITES):
            raise LotError("Choisissez une priorité.")
        return raw or None
    model = User if operation.startswith("pilote") else Axe
    row = db.session.get(model, parse_id(raw)) if parse_id(raw) else None
    if row is None:
        raise LotError("Choisissez un pilote." if model is User else "Choisissez un axe.")
    return row


def _collectivites(valeur) -> set[int] | None:
    """The collectivités a pilote or an axe may serve (None: any, for codes)."""
    if isinstance(valeur, User):
        return set(db.session.scalars(select(Membership.collectivite_id).where(
            Membership.user_id == valeur.id, Membership.validee)))
    if isinstance(valeur, Axe):
        return set(db.session.scalars(select(Plan.collectivite_id).where(
            Plan.id == valeur.plan_id, Plan.deleted_at.is_(None))))
    return None


def _appliquer(fiche: FicheAction, operation: str, valeur) -> bool:
    """Change one fiche; False when it already had the value."""
    if operation in ("statut", "priorite"):
        if getattr(fiche, operation) == valeur:
            return False
        setattr(fiche, operation, valeur)
    elif operation == "pilote_ajout":
        if valeur in fiche.pilotes:
            return False
        fiche.pilotes.append(valeur)
    elif operation == "pilote_remplace":
        if list(fiche.pilotes) == [valeur]:
            return False
        fiche.pilotes = [valeur]
    else:
        if valeur in fiche.axes:
            return False
        fiche.axes.append(valeur)
    return True


def appliquer(acteur: Acteur, raw_ids, operation: str, raw_valeur) -> Bilan:
    """Apply one change to the selected fiches the acteur may change; flushed, not
    committed (``verrous.Perime`` when a fiche changed meanwhile: nothing applied)."""
    if operation not in OPERATIONS:
        raise LotError("Modification inconnue.")
    label, droit = OPERATIONS[operation]
    ids = lire_ids(raw_ids)
    valeur = _valeur(operation, raw_valeur)
    permises = _collectivites(valeur)
    query = policy_for(FicheAction).scope(acteur, select(FicheAction).where(
        FicheAction.id.in_(ids)))
    if operation.startswith("pilote"):
        query = query.options(selectinload(FicheAction.pilotes))
    elif operation == "axe":
        query = query.options(selectinload(FicheAction.axes))
    fiches = list(db.session.scalars(query.order_by(FicheAction.id)))
    bilan = Bilan()
    for _ in range(len(ids) - len(fiches)):
        bilan.ignorer(HORS_PERIMETRE)
    nom = valeur if isinstance(valeur, str) else getattr(valeur, "nom_complet", valeur)
    with acting_as(acteur.user, f"Modification par lot : {label.lower()} ({nom or '—'})"):
        for fiche in fiches:
            if not can(acteur, droit, fiche):
                bilan.ignorer(NON_MODIFIABLE)
            elif permises is not None and fiche.collectivite_id not in permises:
                bilan.ignorer(AUTRE_COLLECTIVITE)
            elif _appliquer(fiche, operation, valeur):
                fiche.updated_by_id = acteur.user.id
                flag_modified(fiche, "updated_by_id")  # a new version, even for links only
                bilan.modifiees += 1
            else:
                bilan.a_jour += 1
        with verrous.sans_ecrasement():
            db.session.flush()
    return bilan
