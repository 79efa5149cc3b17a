"""The public observatoire's queries (no login; the views render and cache them).

Only what may be public ever leaves here: candidatures *retenues* and after (retenu,
conventionné, en suivi) of published calls, of dossiers not confidential; of a dossier,
its title, organisation, stage, statut, axe, département and call always, the other fields
only when its holder marked them public (``Dossier.champs_publics``); impact sums of
validated values only. ``territoire``: a collectivité id — the calls it organises or
covers; None: national (every call).
"""
from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.tri import tri_fr
from tet.projets.models import (
    CHAMPS_PUBLICS,
    STATUTS_RETENUS,
    appel_territoire,
    AppelAProjets,
    AxeAppel,
    Candidature,
    Dossier,
    Impact,
    ImpactValeur,
    Organisation,
)

PAGE = 50


def publics(territoire: int | None = None, departement: str | None = None):
    """Select of the public candidatures' ids (the base of every query here);
    ``departement``: only the projects of that département."""
    query = (select(Candidature.id)
             .join(Dossier, Dossier.id == Candidature.dossier_id)
             .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
             .where(Candidature.statut.in_(STATUTS_RETENUS),
                    Dossier.confidentiel.is_(False),
                    AppelAProjets.statut != "brouillon"))
    if territoire is not None:
        covered = exists(select(appel_territoire.c.appel_id).where(
            appel_territoire.c.appel_id == AppelAProjets.id,
            appel_territoire.c.collectivite_id == territoire))
        query = query.where(or_(AppelAProjets.collectivite_id == territoire, covered))
    if departement is not None:
        query = query.where(Dossier.departement == departement)
    return query


def _base(territoire: int | None):
    return (select(Candidature.id, Candidature.statut, Dossier.id.label("dossier_id"),
                   Dossier.titre, Dossier.stade, Dossier.departement,
                   Dossier.champs_publics, Organisation.nom.label("organisation"),
                   AxeAppel.nom.label("axe"), AppelAProjets.titre.label("appel"),
                   AppelAProjets.annee,
                   *(getattr(Dossier, c) for c, _ in CHAMPS_PUBLICS))
            .join(Dossier, Dossier.id == Candidature.dossier_id)
            .join(Organisation, Organisation.id == Dossier.organisation_id)
            .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
            .outerjoin(AxeAppel, AxeAppel.id == Candidature.axe_id)
            .where(Candidature.id.in_(publics(territoire))))


def _public(row) -> dict:
    """A row as the public may see it: the fields not marked public are left out."""
    marked = set(row.champs_publics or [])
    data = {k: getattr(row, k) for k in ("id", "statut", "dossier_id", "titre", "stade",
                                         "departement", "organisation", "axe", "appel",
                                         "annee")}
    data.update({c: getattr(row, c) for c, _ in CHAMPS_PUBLICS if c in marked})
    return data


def projets(territoire: int | None = None, axe: str | None = None, stade: str | None = None,
            departement: str | None = None, apres: int | None = None,
            limite: int = PAGE) -> list[dict]:
    """A page of public projects (keyset on the candidature id, newest first)."""
    query = _base(territoire)
    if axe:
        query = query.where(AxeAppel.nom == axe)
    if stade:
        query = query.where(Dossier.stade == stade)
    if departement:
        query = query.where(Dossier.departement == departement)
    if apres is not None:
        query = query.where(Candidature.id < apres)
    rows = db.session.execute(query.order_by(Candidature.id.desc())
                              .limit(max(1, min(limite, PAGE)))).all()
    return [_public(r) for r in rows]


def projet(candidature_id: int) -> dict | None:
    """One public project's page (None: unknown or not public, the same answer)."""
    row = db.session.execute(_base(None).where(Candidature.id == candidature_id)).first()
    return None if row is None else _public(row)


def _compte(column, territoire: int | None, departement: str | None = None) -> list[tuple]:
    return db.session.execute(
        select(column, func.count(Candidature.id))
        .select_from(Candidature)
        .join(Dossier, Dossier.id == Candidature.dossier_id)
        .outerjoin(AxeAppel, AxeAppel.id == Candidature.axe_id)
        .where(Candidature.id.in_(publics(territoire, departement)))
        .group_by(column).order_by(func.count(Candidature.id).desc(), column)).all()


def par_axe(territoire: int | None = None, departement: str | None = None) -> list[tuple]:
    """(axe name or None, count)."""
    return _compte(AxeAppel.nom, territoire, departement)


def par_stade(territoire: int | None = None, departement: str | None = None) -> list[tuple]:
    return _compte(Dossier.stade, territoire, departement)


def par_statut(territoire: int | None = None, departement: str | None = None) -> list[tuple]:
    return _compte(Candidature.statut, territoire, departement)


def par_departement(territoire: int | None = None) -> dict[str, int]:
    """département code → count (for the map)."""
    return {d: n for d, n in _compte(Dossier.departement, territoire) if d}


def impacts(territoire: int | None = None, departement: str | None = None) -> list[tuple]:
    """Sums of the validated yearly values of the public projects' impact indicators:
    (indicator name, unit, année, type, sum, number of projects)."""
    return db.session.execute(
        select(IndicateurDefinition.nom, IndicateurDefinition.unite, ImpactValeur.annee,
               ImpactValeur.type, func.sum(ImpactValeur.valeur_validee),
               func.count(func.distinct(Impact.candidature_id)))
        .join(Impact, Impact.id == ImpactValeur.impact_id)
        .join(IndicateurDefinition, IndicateurDefinition.id == Impact.definition_id)
        .where(Impact.candidature_id.in_(publics(territoire, departement)),
               ImpactValeur.valeur_validee.is_not(None))
        .group_by(IndicateurDefinition.id, IndicateurDefinition.nom,
                  IndicateurDefinition.unite, ImpactValeur.annee, ImpactValeur.type)
        .order_by(tri_fr(IndicateurDefinition.nom), ImpactValeur.annee, ImpactValeur.type)).all()
