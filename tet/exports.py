"""Workbooks beyond plans: a collectivité's indicator values and maturity results, and the
national extracts for partners (support only), anonymised or named."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.plans.models import Axe, FicheAction, Plan
from tet.comptes.models import Collectivite, User
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.maturite.models import Snapshot
from tet.comptes.models import TYPES_COLLECTIVITE_LABELS
from tet.colonnes import utcnow
from tet.formats import jour
from tet.maturite.models import RECO_NIVEAUX, RECO_STATUTS
from tet.plans.models import STATUTS, fiche_axe
from tet.maturite import questionnaire as maturite
from tet import xlsx
from tet.maturite.benchmark import band_of
from tet.maturite.fiches import fiche_statuts, statut_suivi
from tet.tri import tri_fr

TYPES = {"objectif": "Objectif", "resultat": "Résultat"}


def indicateurs(wb, collectivite_id: int) -> None:
    fmt = xlsx.Formats(wb)
    ws = wb.add_worksheet("Valeurs des indicateurs")
    rows = db.session.execute(
        select(IndicateurDefinition.identifiant, IndicateurDefinition.nom,
               IndicateurDefinition.unite, IndicateurDefinition.thematique,
               IndicateurDefinition.collectivite_id, IndicateurValeur.annee,
               IndicateurValeur.type, IndicateurValeur.valeur, IndicateurValeur.source,
               IndicateurValeur.commentaire)
        .join(IndicateurValeur, IndicateurValeur.definition_id == IndicateurDefinition.id)
        .where(IndicateurValeur.collectivite_id == collectivite_id)
        .order_by(IndicateurDefinition.identifiant, tri_fr(IndicateurDefinition.nom),
                  IndicateurValeur.annee, IndicateurValeur.type)
        .execution_options(yield_per=1000))
    xlsx.write_table(ws, fmt, [("Identifiant", 12), ("Indicateur", 50), ("Unité", 12),
                               ("Thématique", 25), ("Personnalisé", 12), ("Année", 8),
                               ("Type", 10), ("Valeur", 14), ("Source", 30),
                               ("Commentaire", 40)],
                     ([ident, nom, unite, them, perso is not None, annee, TYPES[t], valeur,
                       source, com] for ident, nom, unite, them, perso, annee, t, valeur, source,
                      com in rows))


def maturite_resultats(wb, collectivite: Collectivite) -> None:
    fmt = xlsx.Formats(wb)
    etat = maturite.load(collectivite)
    s = etat.score
    synth = wb.add_worksheet("Synthèse")
    rows = [["Ensemble", s.indice, s.letter, s.progression, s.officiel]]
    for c in etat.categories:
        part = s.categories.get(c.code)
        if part is not None:
            rows.append([c.nom, part.indice, None, part.progression, part.officiel])
    xlsx.write_table(synth, fmt, [("Catégorie", 40), ("Indice", 10), ("Note", 8),
                                  ("Progression (%)", 14), ("Officiel", 10)], rows)
    answers = wb.add_worksheet("Réponses")
    users = {u.id: u.email for u in db.session.scalars(select(User).where(User.id.in_(
        [r.user_id for r in etat.reponses.values() if r.user_id])))}
    cats = {c.id: c.nom for c in etat.categories}
    lines = []
    for q in etat.questions:
        if not etat.visible(q):
            continue
        r = etat.reponses.get(q.id)
        option = next((o for o in q.options if r and o.code == r.option_code), None)
        value = option.libelle if option else (r.valeur_texte or r.valeur_nombre) if r else None
        lines.append([cats[q.categorie_id], q.code, q.niveau, q.texte, value,
                      option.points if option else None, users.get(r.user_id) if r else None,
                      jour(r.updated_at) if r else None])
    xlsx.write_table(answers, fmt, [("Catégorie", 25), ("Code", 12), ("Niveau", 8),
                                    ("Question", 60), ("Réponse", 30), ("Points", 8),
                                    ("Par", 25), ("Le", 12)], lines)
    recos = wb.add_worksheet("Recommandations")
    linked = fiche_statuts(collectivite.id)
    statuts, niveaux = dict(RECO_STATUTS), dict(RECO_NIVEAUX)
    xlsx.write_table(recos, fmt, [("Recommandation", 50), ("Niveau", 14), ("Statut", 14),
                                  ("Fiche action liée", 12), ("Effort", 40), ("Coût", 40),
                                  ("Qui agit", 40)],
                     ([reco.titre, niveaux.get(reco.niveau, reco.niveau),
                       statuts[statut_suivi(suivi, linked.get(reco.id, (None, None))[1])],
                       reco.id in linked, reco.effort, reco.cout, ", ".join(reco.qui) or None]
                      for reco, suivi, _raised in maturite.recommandations(collectivite, etat)))


# --- partner extracts -------------------------------------------------------------------

EXTRACTS = {"maturite": "Indices de maturité et notes",
            "fiches": "Fiches action par statut",
            "indicateurs": "Valeurs des indicateurs"}


@dataclass
class Filtres:
    region: str | None = None
    type: str | None = None
    plan_type: str | None = None
    lettre: str | None = None
    nominatif: bool = False

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in (("region", self.region), ("type", self.type),
                                          ("plan_type", self.plan_type),
                                          ("lettre", self.lettre)) if v]
        return (", ".join(parts) or "sans filtre") + (" ; nominatif" if self.nominatif
                                                        else " ; anonymisé")


BATCH = 1000  # rows read at a time: memory stays flat whatever the number of collectivités


def _scope(f: Filtres):
    """The collectivités the filters keep, numbered by id (the anonymous « Collectivité
    00042 »): a subquery the extracts join, never a list of ids."""
    query = select(Collectivite.id.label("cid"),
                   func.row_number().over(order_by=Collectivite.id).label("rang"))
    if f.region:
        query = query.where(Collectivite.region == f.region)
    if f.type:
        query = query.where(Collectivite.type == f.type)
    if f.lettre:
        last = _latest_snapshot(officiel_only=True)
        query = query.join(last, last.c.collectivite_id == Collectivite.id).join(
            Snapshot, Snapshot.id == last.c.sid).where(Snapshot.lettre == f.lettre)
    return query.subquery()


def _latest_snapshot(officiel_only: bool = False):
    """(collectivite_id, sid): the latest snapshot of each collectivité."""
    last = select(Snapshot.collectivite_id, func.max(Snapshot.id).label("sid"))
    if officiel_only:
        last = last.where(Snapshot.officiel.is_(True))
    return last.group_by(Snapshot.collectivite_id).subquery()


IDENTITY = (Collectivite.nom, Collectivite.siren, Collectivite.departement, Collectivite.type,
            Collectivite.region, Collectivite.population)


def _identity(row, f: Filtres) -> list:
    """The first columns of an extract from (rang, nom, siren, département, type, région,
    population, …): named, or anonymised by the collectivité's number."""
    rang, nom, siren, departement, type_, region, population = row[:7]
    band = band_of(population)
    common = [TYPES_COLLECTIVITE_LABELS.get(type_, type_), region, band[2] if band else None]
    if f.nominatif:
        return [nom, siren, departement] + common
    return [f"Collectivité {rang:05d}", None, None] + common


IDENTITY_HEADERS = [("Collectivité", 30), ("SIREN", 12), ("Département", 12),
                    ("Type", 25), ("Région", 25), ("Population", 22)]


def _maturite(scope, f: Filtres):
    last = _latest_snapshot()
    query = (select(scope.c.rang, *IDENTITY, Snapshot.indice, Snapshot.lettre,
                    Snapshot.progression, Snapshot.officiel, Snapshot.at)
             .join(Collectivite, Collectivite.id == scope.c.cid)
             .join(last, last.c.collectivite_id == scope.c.cid)
             .join(Snapshot, Snapshot.id == last.c.sid).order_by(scope.c.cid))
    headers = IDENTITY_HEADERS + [("Indice", 10), ("Note", 8), ("Progression (%)", 14),
                                  ("Officiel", 10), ("Date", 12)]
    return headers, query, lambda r: _identity(r, f) + [*r[7:11], jour(r[11])]


def _fiches(scope, f: Filtres):
    """Fiches per statut, counted by SQL (one row per collectivité that has some)."""
    counts = [func.count(func.distinct(case((FicheAction.statut == code, FicheAction.id))))
              for code, _label in STATUTS]
    query = (select(scope.c.rang, *IDENTITY, *counts)
             .join(FicheAction, FicheAction.collectivite_id == scope.c.cid)
             .join(Collectivite, Collectivite.id == scope.c.cid)
             .where(FicheAction.deleted_at.is_(None)))
    if f.plan_type:
        query = query.join(fiche_axe, fiche_axe.c.fiche_id == FicheAction.id).join(
            Axe, Axe.id == fiche_axe.c.axe_id).join(Plan, Plan.id == Axe.plan_id).where(
            Plan.type == f.plan_type, Plan.deleted_at.is_(None))
    query = query.group_by(scope.c.cid, scope.c.rang, *IDENTITY).order_by(scope.c.cid)
    headers = IDENTITY_HEADERS + [(label, 11) for _c, label in STATUTS]
    return headers, query, lambda r: _identity(r, f) + list(r[7:])


def _indicateurs(scope, f: Filtres):
    query = (select(scope.c.rang, *IDENTITY, IndicateurDefinition.identifiant,
                    IndicateurDefinition.nom, IndicateurDefinition.unite,
                    IndicateurValeur.annee, IndicateurValeur.type, IndicateurValeur.valeur)
             .join(IndicateurValeur, IndicateurValeur.collectivite_id == scope.c.cid)
             .join(Collectivite, Collectivite.id == scope.c.cid)
             .join(IndicateurDefinition,
                   IndicateurDefinition.id == IndicateurValeur.definition_id)
             .where(IndicateurDefinition.collectivite_id.is_(None))  # national catalogue only
             .order_by(scope.c.cid, IndicateurDefinition.identifiant, IndicateurValeur.annee,
                       IndicateurValeur.type, IndicateurValeur.id))
    headers = IDENTITY_HEADERS + [("Identifiant", 12), ("Indicateur", 45), ("Unité", 10),
                                  ("Année", 8), ("Type", 10), ("Valeur", 14)]
    return headers, query, lambda r: _identity(r, f) + [*r[7:11], TYPES[r[11]], r[12]]


def partenaires(wb, name: str, f: Filtres) -> int:
    """Write the extract, streamed in batches; returns its number of rows."""
    build = {"maturite": _maturite, "fiches": _fiches, "indicateurs": _indicateurs}[name]
    headers, query, cells = build(_scope(f), f)
    result = db.session.execute(query, execution_options={"yield_per": BATCH})
    ws = wb.add_worksheet(EXTRACTS[name][:31])
    return xlsx.write_table(ws, xlsx.Formats(wb), headers, (cells(row) for row in result))


def log_partner_export(name: str, f: Filtres, by: User | None) -> None:
    db.session.add(AuditLog(at=utcnow(), user_id=by.id if by else None,
                            user_email=by.email if by else None, action="export",
                            object_type="ExportPartenaire", object_repr=EXTRACTS[name],
                            changes={"filtres": [None, f.describe()]},
                            context=f"export {name} : {f.describe()}"[:300]))
    db.session.commit()
