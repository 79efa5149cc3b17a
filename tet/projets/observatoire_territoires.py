"""What the public observatoire's pages need beside ``observatoire``: the territories that
have public projects, one territory, the validated impact values of one public project.

Same rule as ``observatoire``: only the candidatures of ``observatoire.publics()`` (retained
and after, of a published call, of a non-confidential dossier). A territory is a
collectivité that organises a published call or is covered by one.
"""
from __future__ import annotations

from sqlalchemy import func, or_, select, union_all

from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets.models import AppelAProjets, Candidature, Impact, ImpactValeur, appel_territoire
from tet.projets.observatoire import publics
from tet.tri import tri_fr

TERRITOIRES_MAX = 200  # the national page lists at most this many territories
VALEURS_MAX = 500  # impact values shown on a project's page


def _liens():
    """(candidature id, collectivité id) of each public project and each collectivité its
    call concerns: the organiser and the collectivités covered."""
    organisateur = (select(Candidature.id.label("cand"),
                           AppelAProjets.collectivite_id.label("coll"))
                    .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
                    .where(Candidature.id.in_(publics()),
                           AppelAProjets.collectivite_id.is_not(None)))
    couvertes = (select(Candidature.id.label("cand"),
                        appel_territoire.c.collectivite_id.label("coll"))
                 .join(appel_territoire, appel_territoire.c.appel_id == Candidature.appel_id)
                 .where(Candidature.id.in_(publics())))
    return union_all(organisateur, couvertes).subquery()


def territoires(limite: int = TERRITOIRES_MAX) -> list[tuple]:
    """(collectivité id, nom, number of public projects), most projects first."""
    liens = _liens()
    nombre = func.count(func.distinct(liens.c.cand))
    return db.session.execute(
        select(Collectivite.id, Collectivite.nom, nombre)
        .join(liens, liens.c.coll == Collectivite.id)
        .group_by(Collectivite.id, Collectivite.nom)
        .order_by(nombre.desc(), tri_fr(Collectivite.nom))
        .limit(limite)).all()


def territoire(collectivite_id: int) -> tuple | None:
    """(id, nom) of a collectivité concerned by a published call; None otherwise (unknown
    or not concerned: the same answer)."""
    couverte = select(appel_territoire.c.appel_id).join(
        AppelAProjets, AppelAProjets.id == appel_territoire.c.appel_id).where(
        appel_territoire.c.collectivite_id == collectivite_id,
        AppelAProjets.statut != "brouillon")
    organise = select(AppelAProjets.id).where(AppelAProjets.collectivite_id == collectivite_id,
                                              AppelAProjets.statut != "brouillon")
    return db.session.execute(
        select(Collectivite.id, Collectivite.nom)
        .where(Collectivite.id == collectivite_id,
               or_(organise.exists(), couverte.exists()))).first()


def valeurs(candidature_id: int) -> list[tuple]:
    """Validated yearly values of one public project's impact indicators: (indicator name,
    unit, année, type, value); nothing for a project that is not public."""
    return db.session.execute(
        select(IndicateurDefinition.nom, IndicateurDefinition.unite, ImpactValeur.annee,
               ImpactValeur.type, ImpactValeur.valeur_validee)
        .join(Impact, Impact.id == ImpactValeur.impact_id)
        .join(IndicateurDefinition, IndicateurDefinition.id == Impact.definition_id)
        .where(Impact.candidature_id == candidature_id,
               Impact.candidature_id.in_(publics()),
               ImpactValeur.valeur_validee.is_not(None))
        .order_by(tri_fr(IndicateurDefinition.nom), IndicateurDefinition.id, ImpactValeur.annee,
                  ImpactValeur.type)
        .limit(VALEURS_MAX)).all()

