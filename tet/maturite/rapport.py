"""The maturity results of a collectivité as a PDF for its OPSN and its élus: the letter and
index (official or provisional beside the progress rate), the index per category, the
history of the index, the recommendations with their statuses, then each one as a DSI
reads it (summary, why, steps, effort, cost, who acts, indicators, where to read more).
The caller has checked that the acteur may read them (``permissions.can_read``) and gives
the charts (SVG)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.maturite import fiches as maturite_fiches
from tet.maturite import questionnaire as service
from tet.maturite.models import RECO_NIVEAUX, RECO_STATUTS, Recommandation, Snapshot, echelle
from tet.maturite.questionnaire import MaturiteError  # noqa: F401  (the callers catch it)
from tet.rapports import pdf as rapport_pdf

HISTORIQUE = 60  # snapshots shown (the chart); the table gives the last ten
NIVEAUX = dict(RECO_NIVEAUX)
STATUTS = dict(RECO_STATUTS)
ORDRE = {"prioritaire": 0, "necessaire": 1, "recommande": 2}


@dataclass
class Categorie:
    nom: str
    indice: int | None
    progression: int
    niveau2: bool


@dataclass
class Reco:
    titre: str
    categorie: str
    niveau: str
    niveau_code: str
    statut: str
    suit_fiche: bool
    opsn: bool
    fiche: Fiche | None = None  # what to do, for the recommendations' pages of the PDF


@dataclass
class Fiche:
    """A recommendation as a DSI reads it (v1 ones have only ``corps`` and ``detail``)."""

    corps: str
    detail: str | None
    pourquoi: str | None
    etapes: list[str]
    effort: tuple[str | None, str | None]
    cout: tuple[str | None, str | None]
    qui: list[str]
    indicateurs: list[str]
    sources: list[dict]

    @classmethod
    def de(cls, reco: Recommandation) -> Fiche:
        return cls(reco.corps, reco.detail, reco.pourquoi, list(reco.etapes or []),
                   echelle(reco.effort), echelle(reco.cout), reco.qui,
                   list(reco.indicateurs_succes or []), reco.sources)


@dataclass
class RapportMaturite:
    collectivite: Collectivite
    le: date
    lettre: str | None
    indice: int | None
    officiel: bool
    progression: int
    repondues: int
    questions: int
    niveau2: bool
    categories: list[Categorie] = field(default_factory=list)
    historique: list[Snapshot] = field(default_factory=list)  # oldest first
    recommandations: list[Reco] = field(default_factory=list)


def donnees(coll: Collectivite, today: date | None = None) -> RapportMaturite:
    """Everything the PDF shows (``MaturiteError`` without a questionnaire)."""
    etat = service.load(coll)
    s = etat.score
    r = RapportMaturite(coll, today or date.today(), s.letter, s.indice, s.officiel,
                        s.progression, s.total.answered, s.total.in_scope, etat.niveau2)
    for c in etat.categories:
        if c.niveau2_only and not etat.niveau2:
            continue
        part = s.categories.get(c.code)
        r.categories.append(Categorie(c.nom, part.indice if part else None,
                                      part.progression if part else 100, c.niveau2_only))
    r.historique = list(db.session.scalars(select(Snapshot).where(
        Snapshot.collectivite_id == coll.id).order_by(Snapshot.id.desc()).limit(HISTORIQUE)))[::-1]
    liees = maturite_fiches.fiche_statuts(coll.id)
    noms = {c.code: c.nom for c in etat.categories}
    for reco, suivi, _raised in service.recommandations(coll, etat):
        fiche = liees.get(reco.id)
        r.recommandations.append(Reco(
            reco.titre, noms.get(reco.categorie_code, "Recommandation libre"),
            NIVEAUX.get(reco.niveau, reco.niveau), reco.niveau,
            STATUTS[maturite_fiches.statut_suivi(suivi, fiche[1] if fiche else None)],
            fiche is not None, reco.collectivite_id is not None, Fiche.de(reco)))
    r.recommandations.sort(key=lambda x: (ORDRE.get(x.niveau_code, 9), x.titre.lower()))
    return r


def html(r: RapportMaturite, graphiques: dict, couleurs: dict) -> str:
    titre = f"Maturité numérique responsable — {r.collectivite.nom}"
    seuils = ", ".join(f"{lettre} à partir de {minimum}"
                       for lettre, minimum in service.thresholds())
    return rapport_pdf.html("rapports/maturite.html", r=r, graphiques=graphiques, seuils=seuils,
                            couleurs=couleurs, titre=titre, auteur=r.collectivite.nom,
                            description=f"Résultats du questionnaire de maturité au "
                            f"{r.le:%d/%m/%Y}", le=r.le)


def pdf(r: RapportMaturite, graphiques: dict, couleurs: dict) -> bytes:
    return rapport_pdf.rendre(html(r, graphiques, couleurs))
