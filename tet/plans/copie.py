"""Support tool: copy one collectivité's référentiel links, personnalisé indicators and
indicator values to another (joint approaches). Preview first, then apply atomically."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.plans.models import FicheAction
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.comptes.audit import acting_as
from tet.tri import tri_fr


class CopieError(ValueError):
    """A refused copy (French message)."""


@dataclass
class Plan:
    source: Collectivite
    cible: Collectivite
    indicateurs_crees: list[str] = field(default_factory=list)
    indicateurs_repris: list[str] = field(default_factory=list)
    valeurs_ajoutees: int = 0
    valeurs_remplacees: int = 0
    valeurs_identiques: int = 0
    liens_referentiel: list[tuple[str, str]] = field(default_factory=list)

    @property
    def vide(self) -> bool:
        return not (self.indicateurs_crees or self.valeurs_ajoutees or self.valeurs_remplacees
                    or self.liens_referentiel)


def _collectivite(siren: str) -> Collectivite:
    coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == (siren or "").strip()))
    if coll is None:
        raise CopieError(f"Aucune collectivité avec le SIREN {siren}.")
    return coll


def _run(src: Collectivite, dst: Collectivite, apply: bool) -> Plan:
    plan = Plan(src, dst)
    # personnalisé indicators, matched by name
    mapping: dict[int, IndicateurDefinition] = {}
    dst_custom = {d.nom.lower(): d for d in db.session.scalars(select(IndicateurDefinition).where(
        IndicateurDefinition.collectivite_id == dst.id))}
    for d in db.session.scalars(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id == src.id).order_by(tri_fr(IndicateurDefinition.nom))):
        target = dst_custom.get(d.nom.lower())
        if target is None:
            plan.indicateurs_crees.append(d.nom)
            if apply:
                target = IndicateurDefinition(collectivite_id=dst.id, nom=d.nom, unite=d.unite,
                                              thematique=d.thematique, description=d.description,
                                              actions=list(d.actions))
                db.session.add(target)
                db.session.flush()
        else:
            plan.indicateurs_repris.append(d.nom)
        mapping[d.id] = target
    # values: national ones as they are, personnalisés onto their copy
    existing = {(v.definition_id, v.annee, v.type): v for v in db.session.scalars(
        select(IndicateurValeur).where(IndicateurValeur.collectivite_id == dst.id))}
    for v in db.session.scalars(select(IndicateurValeur).where(
            IndicateurValeur.collectivite_id == src.id)):
        target_def = mapping.get(v.definition_id)
        def_id = target_def.id if target_def is not None and target_def.id else v.definition_id
        if v.definition_id in mapping and target_def is None:  # dry run of a new indicator
            plan.valeurs_ajoutees += 1
            continue
        current = existing.get((def_id, v.annee, v.type))
        if current is None:
            plan.valeurs_ajoutees += 1
            if apply:
                db.session.add(IndicateurValeur(
                    collectivite_id=dst.id, definition_id=def_id, annee=v.annee, type=v.type,
                    valeur=v.valeur, source=v.source, commentaire=v.commentaire))
        elif Decimal(current.valeur) == Decimal(v.valeur):
            plan.valeurs_identiques += 1
        else:
            plan.valeurs_remplacees += 1
            if apply:
                current.valeur = v.valeur
                current.source = v.source
    # référentiel links of fiches, onto the destination's fiches of the same title
    dst_fiches = {f.titre.lower(): f for f in db.session.scalars(select(FicheAction).where(
        FicheAction.collectivite_id == dst.id, FicheAction.deleted_at.is_(None)))}
    for f in db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == src.id, FicheAction.deleted_at.is_(None))):
        target = dst_fiches.get(f.titre.lower())
        if target is None:
            continue
        for action in f.referentiel_actions:
            if action not in target.referentiel_actions:
                plan.liens_referentiel.append((target.titre, action.identifiant))
                if apply:
                    target.referentiel_actions.append(action)
    return plan


def preview(src_siren: str, dst_siren: str) -> Plan:
    """What the copy would do; changes nothing."""
    src, dst = _collectivite(src_siren), _collectivite(dst_siren)
    if src.id == dst.id:
        raise CopieError("La source et la destination sont la même collectivité.")
    try:
        return _run(src, dst, apply=False)
    finally:
        db.session.rollback()


def apply(src_siren: str, dst_siren: str, by: User | None) -> Plan:
    """Do the copy in one transaction (all or nothing), recorded in the audit log."""
    src, dst = _collectivite(src_siren), _collectivite(dst_siren)
    if src.id == dst.id:
        raise CopieError("La source et la destination sont la même collectivité.")
    try:
        with acting_as(by, context=f"copie {src.siren} → {dst.siren}"):
            plan = _run(src, dst, apply=True)
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan
