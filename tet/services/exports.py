"""Workbooks beyond plans: a collectivité's indicator values and maturity results, and the
national extracts for partners (support only), anonymised or named."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from tet.extensions import db
from tet.models import (
    AuditLog,
    Collectivite,
    FicheAction,
    IndicateurDefinition,
    IndicateurValeur,
    Plan,
    User,
)
from tet.models.base import utcnow
from tet.models.maturite import RECO_NIVEAUX, RECO_STATUTS
from tet.models.plans import STATUTS, fiche_axe
from tet.services import maturite, xlsx
from tet.services.benchmark import band_of
from tet.services.maturite_fiches import fiche_statuts, statut_suivi

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
        .order_by(IndicateurDefinition.identifiant, IndicateurDefinition.nom,
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
                      r.updated_at.date() if r else None])
    xlsx.write_table(answers, fmt, [("Catégorie", 25), ("Code", 12), ("Niveau", 8),
                                    ("Question", 60), ("Réponse", 30), ("Points", 8),
                                    ("Par", 25), ("Le", 12)], lines)
    recos = wb.add_worksheet("Recommandations")
    linked = fiche_statuts(collectivite.id)
    statuts, niveaux = dict(RECO_STATUTS), dict(RECO_NIVEAUX)
    xlsx.write_table(recos, fmt, [("Recommandation", 50), ("Niveau", 14), ("Statut", 14),
                                  ("Fiche action liée", 12)],
                     ([reco.titre, niveaux.get(reco.niveau, reco.niveau),
                       statuts[statut_suivi(suivi, linked.get(reco.id, (None, None))[1])],
                       reco.id in linked]
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


def _collectivites(f: Filtres) -> list[Collectivite]:
    query = select(Collectivite).order_by(Collectivite.id)
    if f.region:
        query = query.where(Collectivite.region == f.region)
    if f.type:
        query = query.where(Collectivite.type == f.type)
    colls = list(db.session.scalars(query))
    if f.lettre:
        snaps = maturite.latest_snapshots([c.id for c in colls], officiel_only=True)
        colls = [c for c in colls if snaps.get(c.id) and snaps[c.id].lettre == f.lettre]
    return colls


def _identity(c: Collectivite, index: int, f: Filtres) -> list:
    band = band_of(c.population)
    common = [c.type_label, c.region, band[2] if band else None]
    if f.nominatif:
        return [c.nom, c.siren, c.departement] + common
    return [f"Collectivité {index:05d}", None, None] + common


IDENTITY_HEADERS = [("Collectivité", 30), ("SIREN", 12), ("Département", 12),
                    ("Type", 25), ("Région", 25), ("Population", 22)]


def partenaires(wb, name: str, f: Filtres) -> int:
    """Write the extract; returns its number of rows."""
    fmt = xlsx.Formats(wb)
    ws = wb.add_worksheet(EXTRACTS[name][:31])
    colls = _collectivites(f)
    index = {c.id: i for i, c in enumerate(colls, start=1)}
    if name == "maturite":
        snaps = maturite.latest_snapshots(list(index))
        rows = [_identity(c, index[c.id], f) + [s.indice, s.lettre, s.progression, s.officiel,
                                                s.at.date()]
                for c in colls if (s := snaps.get(c.id)) is not None]
        headers = IDENTITY_HEADERS + [("Indice", 10), ("Note", 8), ("Progression (%)", 14),
                                      ("Officiel", 10), ("Date", 12)]
    elif name == "fiches":
        query = (select(FicheAction.collectivite_id, FicheAction.statut,
                        func.count(func.distinct(FicheAction.id)))
                 .where(FicheAction.collectivite_id.in_(list(index)),
                        FicheAction.deleted_at.is_(None)))
        if f.plan_type:
            from tet.models import Axe

            query = query.join(fiche_axe, fiche_axe.c.fiche_id == FicheAction.id).join(
                Axe, Axe.id == fiche_axe.c.axe_id).join(Plan, Plan.id == Axe.plan_id).where(
                Plan.type == f.plan_type, Plan.deleted_at.is_(None))
        counts: dict[int, Counter] = {}
        for cid, statut, n in db.session.execute(query.group_by(FicheAction.collectivite_id,
                                                                FicheAction.statut)):
            counts.setdefault(cid, Counter())[statut] = n
        rows = [_identity(c, index[c.id], f) + [counts[c.id][code] for code, _l in STATUTS]
                for c in colls if c.id in counts]
        headers = IDENTITY_HEADERS + [(label, 11) for _c, label in STATUTS]
    else:
        by_id = {c.id: c for c in colls}
        values = db.session.execute(
            select(IndicateurValeur.collectivite_id, IndicateurDefinition.identifiant,
                   IndicateurDefinition.nom, IndicateurDefinition.unite,
                   IndicateurValeur.annee, IndicateurValeur.type, IndicateurValeur.valeur)
            .join(IndicateurDefinition)
            .where(IndicateurValeur.collectivite_id.in_(list(index)),
                   IndicateurDefinition.collectivite_id.is_(None))  # national catalogue only
            .order_by(IndicateurValeur.collectivite_id, IndicateurDefinition.identifiant,
                      IndicateurValeur.annee))
        rows = [_identity(by_id[cid], index[cid], f) + [ident, nom, unite, annee, TYPES[t], v]
                for cid, ident, nom, unite, annee, t, v in values]
        headers = IDENTITY_HEADERS + [("Identifiant", 12), ("Indicateur", 45), ("Unité", 10),
                                      ("Année", 8), ("Type", 10), ("Valeur", 14)]
    xlsx.write_table(ws, fmt, headers, rows)
    return len(rows)


def log_partner_export(name: str, f: Filtres, by: User | None) -> None:
    db.session.add(AuditLog(at=utcnow(), user_id=by.id if by else None,
                            user_email=by.email if by else None, action="export",
                            object_type="ExportPartenaire", object_repr=EXTRACTS[name],
                            changes={"filtres": [None, f.describe()]},
                            context=f"export {name} : {f.describe()}"[:300]))
    db.session.commit()
