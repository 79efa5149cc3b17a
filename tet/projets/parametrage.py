"""The settings of a call as its organiser edits them in one form: texts, territory, scoring
options, axes (their shares total 100 %), étapes (dates in order), pièces requises,
matrices and criteria (weights total 100 %). Checked here, applied at once, audited.

The grid (options, axes, pièces, matrices, criteria) is set while the call is a draft: once
it is open, holders answer and members score against it, so it no longer changes; texts,
territory and dates change until the call is decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm.attributes import flag_modified

from tet.comptes.models import Collectivite, Membership, User, collectivite_membre
from tet.extensions import db
from tet.projets import appels
from tet.projets.commun import exiger, journal, texte_de
from tet.projets.models import (
    ETAPES,
    AppelAProjets,
    AxeAppel,
    Critere,
    Etape,
    Matrice,
    PieceRequise,
)
from tet.projets.permissions import gere_appel, reglage_modifiable
from tet.verrous import LIBRE, verifier

FIGEE = ("La grille de l’appel (options de notation, axes, pièces requises, matrices et "
         "critères) ne change plus une fois l’appel ouvert.")


@dataclass
class Ligne:
    """One row of a list of the form (axe, pièce, matrice, critère); ``id`` None: new."""

    id: int | None
    nom: str
    poids: int = 0
    obligatoire: bool = True
    options: str | None = None  # a matrix's own scoring options, as typed (« 0, 1, 2 »)
    axe_id: int | None = None
    enfants: list[Ligne] = field(default_factory=list)


@dataclass
class Parametres:
    titre: str
    annee: int
    objectifs: str | None = None
    regles_eligibilite: str | None = None
    territoire_ids: list[int] = field(default_factory=list)
    etapes: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    # the grid: None when not submitted (a call past its draft shows it read-only)
    options_notes: str | None = None  # as typed (« 1, 3, 5 »): ``appels.lire_options``
    axes: list[Ligne] | None = None
    pieces: list[Ligne] | None = None
    matrices: list[Ligne] | None = None


# --- checks (French messages, also shown by the form next to its fields) ---------------

def erreur_total(lignes: list[Ligne], quoi: str) -> str | None:
    """``quoi`` (« Les parts des axes ») must total 100 % when there are rows."""
    if not lignes:
        return None
    total = sum(x.poids for x in lignes)
    if total != 100:
        return f"{quoi} doivent totaliser 100 % (total actuel : {total} %)."
    return None


def erreurs_etapes(etapes: dict[str, tuple[date | None, date | None]]) -> list[str]:
    """Each étape ends after it starts; the étapes start in their order (dépôt first)."""
    errors = []
    precedente = None
    for kind, label in ETAPES:
        debut, fin = etapes.get(kind, (None, None))
        if debut and fin and fin < debut:
            errors.append(f"L’étape « {label} » se termine avant de commencer.")
        if debut is None:
            continue
        if precedente is not None and debut < precedente[1]:
            errors.append(f"L’étape « {label} » ne peut pas commencer avant l’étape "
                          f"« {precedente[0]} » (les étapes se suivent dans l’ordre).")
        precedente = (label, debut)
    return errors


def erreurs_grille(p: Parametres) -> list[str]:
    errors = []
    for quoi, lignes in (("Les parts des axes", p.axes), ("Les poids des matrices",
                                                           p.matrices)):
        e = erreur_total(lignes or [], quoi)
        if e:
            errors.append(e)
    for m in p.matrices or []:
        e = erreur_total(m.enfants, f"Les poids des critères de « {m.nom} »")
        if e:
            errors.append(e)
    return errors


# --- what the organiser may choose ------------------------------------------------------

def territoire_possible(a, appel: AppelAProjets | None = None):
    """Condition on ``Collectivite``: the collectivités the organiser may cover — itself and
    its member communes (support, for a national call: any)."""
    organisateur = appel.collectivite_id if appel is not None else a.collectivite_id
    if organisateur is None:
        return None if a.is_support else Collectivite.id == -1
    return or_(Collectivite.id == organisateur, Collectivite.id.in_(
        select(collectivite_membre.c.membre_id).where(
            collectivite_membre.c.supra_id == organisateur)))


def comptes_possibles(appel: AppelAProjets):
    """Condition on ``User``: the validated members of the organiser and of the call's
    territory (partner collectivités), who may sit on its committee."""
    territoire = select(Collectivite.id).join(
        AppelAProjets.territoire.property.secondary,
        AppelAProjets.territoire.property.secondary.c.collectivite_id == Collectivite.id
    ).where(AppelAProjets.territoire.property.secondary.c.appel_id == appel.id)
    colls = or_(Membership.collectivite_id == appel.collectivite_id,
                Membership.collectivite_id.in_(territoire))
    return User.active.is_(True) & exists(select(Membership.id).where(
        Membership.user_id == User.id, Membership.validee, colls))


def origine_de(appel: AppelAProjets, user: User) -> tuple[str, int | None]:
    """(origine, collectivité) of a seat given to ``user``: organiser or partner."""
    colls = [cid for (cid,) in db.session.execute(select(Membership.collectivite_id).where(
        Membership.user_id == user.id, Membership.validee))]
    if appel.collectivite_id in colls:
        return "organisateur", appel.collectivite_id
    return "partenaire", colls[0] if colls else None


# --- applying ---------------------------------------------------------------------------

def enregistrer(a, appel: AppelAProjets, p: Parametres, version=LIBRE) -> AppelAProjets:
    """Apply the form's settings to the call, or raise ``Refus`` (nothing applied): its own
    fields through ``appels.modifier``, then the year, the étapes and the grid."""
    exiger(gere_appel(a, appel), "Seuls les administrateurs et éditeurs de l’organisateur "
           "modifient cet appel.")
    verifier(appel, version)
    exiger(reglage_modifiable(a, appel, etape=True), "Un appel décidé ne se modifie plus.")
    grille = (p.options_notes, p.axes, p.pieces, p.matrices)
    if any(x is not None for x in grille):
        exiger(reglage_modifiable(a, appel), FIGEE)
    exiger(isinstance(p.annee, int) and 2000 <= p.annee <= 2100,
           "L’année doit être comprise entre 2000 et 2100.")
    errors = erreurs_etapes(p.etapes) + erreurs_grille(p)
    exiger(not errors, " ".join(errors))
    champs = {"titre": p.titre, "objectifs": p.objectifs,
              "regles_eligibilite": p.regles_eligibilite,
              "territoire": [c.id for c in _territoire(a, appel, p.territoire_ids)]}
    if p.options_notes is not None:
        champs["options_notes"] = p.options_notes
    options = {id(m): appels.lire_options(m.options) if (m.options or "").strip() else None
               for m in p.matrices or []}
    with journal(a, f"Appel à projets : paramètres de l’appel n°{appel.id}"):
        appels.modifier(a, appel, champs)
        appel.annee = p.annee
        _etapes(appel, p.etapes)
        if p.axes is not None:
            appel.axes = _lignes(appel.axes, p.axes, AxeAppel, lambda x, ligne: (
                setattr(x, "nom", texte_de(x, "nom", ligne.nom)),
                setattr(x, "part", ligne.poids)))
        if p.pieces is not None:
            appel.pieces = _lignes(appel.pieces, p.pieces, PieceRequise, lambda x, ligne: (
                setattr(x, "libelle", texte_de(x, "libelle", ligne.nom)),
                setattr(x, "obligatoire", ligne.obligatoire)))
        if p.matrices is not None:
            _matrices(appel, p.matrices, options)
        flag_modified(appel, "titre")  # the call's version moves with any of its rows
        db.session.flush()
    return appel


def _territoire(a, appel: AppelAProjets, ids: list[int]) -> list[Collectivite]:
    ids = sorted({i for i in ids if isinstance(i, int)})[:5000]
    cond = territoire_possible(a, appel)
    query = select(Collectivite).where(Collectivite.id.in_(ids)) if ids else None
    found = list(db.session.scalars(query if cond is None else query.where(cond))) \
        if query is not None else []
    exiger(len(found) == len(ids), "Le territoire ne peut compter que l’organisateur et ses "
           "communes membres.")
    if not found and appel.collectivite_id is not None:
        found = [db.session.get(Collectivite, appel.collectivite_id)]
    return found


def _etapes(appel: AppelAProjets, etapes: dict) -> None:
    par_kind = {e.kind: e for e in appel.etapes}
    for kind, _label in ETAPES:
        debut, fin = etapes.get(kind, (None, None))
        row = par_kind.get(kind)
        if debut is None and fin is None:
            if row is not None:
                appel.etapes.remove(row)
            continue
        if row is None:
            row = Etape(kind=kind)
            appel.etapes.append(row)
        row.date_debut, row.date_fin = debut, fin


def _lignes(existantes, lignes: list[Ligne], model, remplir):
    """The rows after the form: kept (by id, of this call only), new, the others removed."""
    par_id = {x.id: x for x in existantes}
    result = []
    for position, ligne in enumerate(lignes):
        row = par_id.get(ligne.id) if ligne.id is not None else None
        exiger(ligne.id is None or row is not None, "Une ligne du formulaire n’appartient "
               "pas à cet appel : rechargez la page.")
        row = row or model()
        remplir(row, ligne)
        row.position = position
        result.append(row)
    return result


def _matrices(appel: AppelAProjets, matrices: list[Ligne], options: dict) -> None:
    axes = {x.id for x in appel.axes if x.id is not None}

    def remplir_matrice(m: Matrice, ligne: Ligne):
        m.nom, m.poids = texte_de(m, "nom", ligne.nom), ligne.poids
        m.options = options[id(ligne)]

        def remplir_critere(c: Critere, enfant: Ligne):
            exiger(enfant.axe_id is None or enfant.axe_id in axes,
                   f"L’axe du critère « {enfant.nom} » n’est pas un axe de cet appel.")
            c.libelle, c.poids = texte_de(c, "libelle", enfant.nom), enfant.poids
            c.axe_id = enfant.axe_id

        m.criteres = _lignes(m.criteres, ligne.enfants, Critere, remplir_critere)

    appel.matrices = _lignes(appel.matrices, matrices, Matrice, remplir_matrice)

