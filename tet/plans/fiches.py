"""Fiches action: saving a form's worth of data (tags created on the fly), soft delete,
restore, links between fiches, notes de suivi."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select

from tet.extensions import db
from tet.plans.models import FicheAction, FicheLien, NoteSuivi, Plan, Tag, Thematique
from tet.comptes.models import User
from tet.comptes.models import Membership
from tet.colonnes import utcnow
from tet.plans.models import BudgetLigne, FicheFinanceur
from tet import verrous
from tet.plans import versions_fiche
from tet.tri import tri_fr

TAG_FIELDS = ("libre", "service", "structure", "partenaire", "personne", "elu", "instance")


class FicheError(ValueError):
    """A refusal with a French message."""


def split_names(text: str | list | None) -> list[str]:
    """``"Service A, Service B ,"`` → ``["Service A", "Service B"]`` (deduplicated)."""
    items = text if isinstance(text, list) else (text or "").split(",")
    seen, result = set(), []
    for item in items:
        name = " ".join(str(item).split())[:200]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def get_or_create_tags(collectivite_id: int, kind: str, names: list[str]) -> list[Tag]:
    if not names:
        return []
    existing = {t.nom.lower(): t for t in db.session.scalars(select(Tag).where(
        Tag.collectivite_id == collectivite_id, Tag.kind == kind))}
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag(collectivite_id=collectivite_id, kind=kind, nom=name)
            db.session.add(tag)
            existing[name.lower()] = tag
        tags.append(tag)
    return tags


def noms_connus(collectivite_id: int, kind: str, terme: str = "", limit: int = 50,
                offset: int = 0) -> list[str]:
    """Names of the collectivité's tags of ``kind`` containing ``terme`` (any case), by
    name: a page of ``limit`` (the pickers of the fiche form)."""
    query = select(Tag.nom).where(Tag.collectivite_id == collectivite_id, Tag.kind == kind)
    terme = " ".join((terme or "").split())[:100]
    if terme:
        query = query.where(func.lower(Tag.nom).contains(terme.lower(), autoescape=True))
    return list(db.session.scalars(query.order_by(Tag.nom, Tag.id).offset(offset)
                                   .limit(limit)))


def tag_names(fiche: FicheAction, kind: str) -> str:
    return ", ".join(t.nom for t in fiche.tags if t.kind == kind)


@dataclass
class FinanceurRow:
    nom: str
    montant: Decimal | None


@dataclass
class BudgetRow:
    nature: str
    unite: str
    annee: int | None
    prevu: Decimal | None
    reel: Decimal | None


SIMPLE_FIELDS = ("titre", "description", "objectifs", "ressources", "statut", "priorite",
                 "date_debut", "date_fin", "amelioration_continue", "temps_mise_en_oeuvre",
                 "cibles", "participation", "participation_detail", "financements",
                 "confidentiel")


def save_fiche(fiche: FicheAction, data: dict, by: User | None,
               version=verrous.LIBRE) -> FicheAction:
    """Apply ``data`` (a dict of the fiche form's values) to ``fiche``; ``by`` None for
    imports and seeds run by the system. ``version``: the one the form was loaded with
    (``verrous.Perime`` before anything is applied when the fiche changed since)."""
    if fiche.id is not None:
        verrous.verifier(fiche, version)
    if data.get("date_debut") and data.get("date_fin") and data["date_fin"] < data["date_debut"]:
        raise FicheError("La date de fin ne peut pas précéder la date de début.")
    for name in SIMPLE_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):  # an empty field is "no value", as in the database
                value = value.strip() or None
            setattr(fiche, name, value)
    fiche.titre = (fiche.titre or "").strip()
    if not fiche.titre:
        raise FicheError("Le titre de la fiche est obligatoire.")
    by_id = by.id if by is not None else None
    if fiche.id is None:
        fiche.created_by_id = by_id
        db.session.add(fiche)
    fiche.updated_by_id = by_id
    cid = fiche.collectivite_id
    if "parent_id" in data:
        _set_parent(fiche, data["parent_id"])
    if "thematique_ids" in data:
        fiche.thematiques = list(db.session.scalars(
            select(Thematique).where(Thematique.id.in_(data["thematique_ids"] or []))))
    if any(k in data for k in TAG_FIELDS):
        tags = [t for t in fiche.tags if t.kind not in TAG_FIELDS or t.kind not in data]
        for kind in TAG_FIELDS:
            if kind in data:
                tags += get_or_create_tags(cid, kind, split_names(data[kind]))
            else:
                tags += [t for t in fiche.tags if t.kind == kind and t not in tags]
        fiche.tags = tags
    if "pilote_ids" in data:
        fiche.pilotes = members_of(cid, data["pilote_ids"] or [])
    if "financeurs" in data:
        fiche.financeurs = [
            FicheFinanceur(financeur=get_or_create_tags(cid, "financeur", [row.nom])[0],
                           montant=row.montant)
            for row in data["financeurs"] if row.nom.strip()]
    if "budgets" in data:
        fiche.budgets = [BudgetLigne(nature=r.nature, unite=r.unite, annee=r.annee,
                                     prevu=r.prevu, reel=r.reel)
                         for r in data["budgets"] if r.prevu is not None or r.reel is not None]
    with verrous.sans_ecrasement():
        db.session.flush()
    return fiche


def members_of(collectivite_id: int, user_ids) -> list[User]:
    if not user_ids:
        return []
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.collectivite_id == collectivite_id, Membership.validee,
        User.id.in_(list(user_ids)))))


def _set_parent(fiche: FicheAction, parent_id: int | None) -> None:
    if not parent_id:
        fiche.parent_id = None
        return
    parent = db.session.get(FicheAction, parent_id)
    if parent is None or parent.collectivite_id != fiche.collectivite_id:
        raise FicheError("Fiche parente introuvable.")
    if parent.id == fiche.id or parent.parent_id is not None:
        raise FicheError("Une sous-action ne peut dépendre que d'une fiche principale "
                         "(un seul niveau).")
    if fiche.id is not None and db.session.scalar(
            select(FicheAction.id).where(FicheAction.parent_id == fiche.id).limit(1)):
        raise FicheError("Cette fiche a déjà des sous-actions : elle ne peut pas devenir "
                         "elle-même une sous-action.")
    fiche.parent_id = parent.id


# --- corbeille -------------------------------------------------------------------------

def soft_delete(obj: FicheAction | Plan, by: User) -> None:
    obj.deleted_at = utcnow()
    obj.updated_by_id = by.id


def restore(obj: FicheAction | Plan, by: User) -> None:
    obj.deleted_at = None
    obj.updated_by_id = by.id


# --- fiches liées (symmetric) ----------------------------------------------------------

def link(a: FicheAction, b: FicheAction) -> None:
    if a.id == b.id:
        raise FicheError("Une fiche ne peut pas être liée à elle-même.")
    if a.collectivite_id != b.collectivite_id:
        raise FicheError("On ne peut lier que des fiches de la même collectivité.")
    low, high = sorted((a.id, b.id))
    if db.session.get(FicheLien, (low, high)) is None:
        db.session.add(FicheLien(fiche_a_id=low, fiche_b_id=high))
        db.session.flush()


def unlink(a: FicheAction, b: FicheAction) -> None:
    low, high = sorted((a.id, b.id))
    db.session.execute(delete(FicheLien).where(FicheLien.fiche_a_id == low,
                                               FicheLien.fiche_b_id == high))
    versions_fiche.marquer([low, high], "liens")


def linked(fiche: FicheAction) -> list[FicheAction]:
    other = select(FicheLien.fiche_b_id).where(FicheLien.fiche_a_id == fiche.id).union(
        select(FicheLien.fiche_a_id).where(FicheLien.fiche_b_id == fiche.id))
    return list(db.session.scalars(select(FicheAction).where(
        FicheAction.id.in_(other), FicheAction.deleted_at.is_(None))
        .order_by(tri_fr(FicheAction.titre))))


# --- notes de suivi ------------------------------------------------------------------------

def add_note(fiche: FicheAction, when: date, texte: str, by: User) -> NoteSuivi:
    texte = (texte or "").strip()
    if not texte:
        raise FicheError("La note de suivi est vide.")
    note = NoteSuivi(fiche_id=fiche.id, date=when, texte=texte[:20000], auteur_id=by.id)
    db.session.add(note)
    db.session.flush()
    return note


# --- inspiration -------------------------------------------------------------------------

COPIED_FIELDS = ("description", "objectifs", "ressources", "priorite", "temps_mise_en_oeuvre",
                 "amelioration_continue", "participation", "participation_detail")


def copy_fiche(source: FicheAction, collectivite_id: int, by: User) -> FicheAction:
    """A new fiche of ``collectivite_id`` inspired by ``source`` (a copy, not a link):
    texts and national thématiques are copied; statut, dates, people and budget are not."""
    fiche = FicheAction(collectivite_id=collectivite_id, titre=source.titre,
                        statut="a_venir", cibles=list(source.cibles or []),
                        created_by_id=by.id, updated_by_id=by.id)
    for name in COPIED_FIELDS:
        setattr(fiche, name, getattr(source, name))
    fiche.thematiques = list(source.thematiques)
    db.session.add(fiche)
    db.session.flush()
    return fiche
