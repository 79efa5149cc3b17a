"""A fiche's history, and putting a fiche back as it was after one of its saves: fields, links
(pilotes, thématiques, étiquettes, financeurs, budget, indicateurs, référentiel, fiches
liées) and places in plans — what still can be (a removed axe, a pilote who left, a deleted
indicator are named, not restored). The restore is one audited save, checked against the
version the preview was shown with (``tet.verrous``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select

from tet import verrous
from tet.colonnes import utcnow
from tet.comptes import audit
from tet.comptes.historique import Changement, Entree, Noms, changements_fiche, entrees
from tet.comptes.historique import horodatage
from tet.comptes.journal import AuditLog
from tet.extensions import db
from tet.indicateurs import valeurs as ind_service
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction
from tet.plans import arbre
from tet.plans import fiches as fiche_service
from tet.plans.models import Axe, FicheAction, Plan, Thematique
from tet.plans.versions_fiche import CHAMPS, FicheVersion, differences, etats

HISTORIQUE_MAX = 30


def historique_fiche(fiche_id: int, n: int = HISTORIQUE_MAX) -> list[Entree]:
    """The fiche's last saves, one entry each (its audit rows and its versions)."""
    rows = list(db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == "FicheAction", AuditLog.object_id == fiche_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(n * 2)))
    versions = list(db.session.scalars(select(FicheVersion).where(
        FicheVersion.fiche_id == fiche_id).order_by(FicheVersion.id.desc()).limit(n)))
    result = entrees(rows, versions)[:n]
    if versions:  # the latest version is the current state: nothing to restore
        for entree in result:
            if entree.version_id == versions[0].id:
                entree.version_id = None
    return result


def version_de(fiche: FicheAction, version_id) -> FicheVersion | None:
    """A version of this fiche (None for another fiche's: the caller answers 404)."""
    return db.session.scalar(select(FicheVersion).where(
        FicheVersion.id == version_id, FicheVersion.fiche_id == fiche.id))


@dataclass
class Apercu:
    version: FicheVersion
    changements: list[Changement]
    impossibles: list[str] = field(default_factory=list)

    @property
    def quand(self) -> str:
        return horodatage(self.version.at)

    @property
    def titre(self) -> str:
        return f"Restauration de la version du {horodatage(self.version.at)}"


@dataclass
class _Cible:
    """The version's state, split into what can be restored and what cannot."""

    etat: dict
    impossibles: list[str] = field(default_factory=list)
    ids: dict[str, list[int]] = field(default_factory=dict)


def _cible(fiche: FicheAction, version: FicheVersion) -> _Cible:
    etat = version.etat
    cible = _Cible(etat=etat)
    cid = fiche.collectivite_id

    def garder(cle, existants: set[int], raison: str):
        voulus = etat.get(cle) or []
        cible.ids[cle] = [i for i, *_ in voulus if i in existants]
        for i, *rest in voulus:
            if i not in existants:
                cible.impossibles.append(raison.format(rest[-1]))

    def ids(cle):
        return [item[0] for item in etat.get(cle) or []]

    membres = {u.id for u in fiche_service.members_of(cid, ids("pilotes"))}
    garder("pilotes", membres, "« {} » n’est plus membre de la collectivité : "
                               "pilote non restauré.")
    garder("thematiques", set(db.session.scalars(select(Thematique.id).where(
        Thematique.id.in_(ids("thematiques"))))) if ids("thematiques") else set(),
        "La thématique « {} » n’existe plus.")
    garder("indicateurs", set(db.session.scalars(select(IndicateurDefinition.id).where(
        IndicateurDefinition.id.in_(ids("indicateurs")),
        ind_service.visible_condition(cid)))) if ids("indicateurs") else set(),
        "L’indicateur « {} » n’existe plus.")
    garder("referentiel", set(db.session.scalars(select(ReferentielAction.id).where(
        ReferentielAction.id.in_(ids("referentiel"))))) if ids("referentiel") else set(),
        "L’action du référentiel « {} » n’existe plus.")
    garder("liens", set(db.session.scalars(select(FicheAction.id).where(
        FicheAction.id.in_(ids("liens")), FicheAction.collectivite_id == cid,
        FicheAction.deleted_at.is_(None), FicheAction.id != fiche.id)))
        if ids("liens") else set(), "La fiche liée « {} » a été supprimée : lien non restauré.")
    garder("emplacements", set(db.session.scalars(select(Axe.id).join(Plan).where(
        Axe.id.in_(ids("emplacements")), Plan.collectivite_id == cid,
        Plan.deleted_at.is_(None)))) if ids("emplacements") else set(),
        "L’axe « {} » a été supprimé (ou son plan) : la fiche n’y est pas rangée de nouveau.")
    parent = etat["champs"].get("parent_id")
    if parent and not _parent_possible(fiche, parent[0]):
        cible.impossibles.append(f"La fiche parente « {parent[1]} » n’est plus possible "
                                 "(supprimée, ou la structure a changé) : parent inchangé.")
    return cible


def _parent_possible(fiche: FicheAction, parent_id: int) -> bool:
    parent = db.session.get(FicheAction, parent_id)
    if parent is None or parent.collectivite_id != fiche.collectivite_id \
            or parent.deleted_at is not None or parent.parent_id is not None \
            or parent.id == fiche.id:
        return False
    return not db.session.scalar(select(FicheAction.id).where(
        FicheAction.parent_id == fiche.id).limit(1))


def _restituable(fiche: FicheAction, cible: _Cible) -> dict:
    """The state the restore will produce: the version's, minus what cannot be restored."""
    courant = etats([fiche.id])[fiche.id]
    etat = {**cible.etat, "champs": dict(cible.etat["champs"])}
    for cle, gardes in cible.ids.items():
        etat[cle] = [item for item in cible.etat.get(cle) or [] if item[0] in gardes]
    parent = etat["champs"].get("parent_id")
    if parent and not _parent_possible(fiche, parent[0]):
        etat["champs"]["parent_id"] = courant["champs"].get("parent_id")
    return etat


def apercu(fiche: FicheAction, version: FicheVersion) -> Apercu:
    """What restoring this version would change now, and what cannot be restored."""
    cible = _cible(fiche, version)
    courant = etats([fiche.id])[fiche.id]
    changes = differences(courant, _restituable(fiche, cible))
    return Apercu(version, changements_fiche(changes, Noms()), cible.impossibles)


def restaurer(fiche: FicheAction, version: FicheVersion, by, version_vue) -> Apercu:
    """Put the fiche back as the version left it (as far as it still can be), as one save
    attributed to ``by``; ``version_vue``: the fiche's version when the preview was shown
    (``verrous.Perime`` when it changed since). The caller commits (``verrous.commit``)."""
    verrous.verifier(fiche, version_vue)
    resultat = apercu(fiche, version)
    if not resultat.changements:
        return resultat
    cible = _cible(fiche, version)
    etat = _restituable(fiche, cible)
    with audit.acting_as(by, context=resultat.titre):
        fiche_service.save_fiche(fiche, _donnees(etat), by, version=version_vue)
        fiche.indicateurs = list(db.session.scalars(select(IndicateurDefinition).where(
            IndicateurDefinition.id.in_(cible.ids["indicateurs"])))) \
            if cible.ids["indicateurs"] else []
        fiche.referentiel_actions = list(db.session.scalars(select(ReferentielAction).where(
            ReferentielAction.id.in_(cible.ids["referentiel"])))) \
            if cible.ids["referentiel"] else []
        _liens(fiche, set(cible.ids["liens"]))
        arbre.ranger(fiche, set(cible.ids["emplacements"]))
        fiche.updated_at = utcnow()  # a new version of the fiche, even for places alone
        with verrous.sans_ecrasement():
            db.session.flush()
    return resultat


def _donnees(etat: dict) -> dict:
    """The version's state as the fiche form's data (``fiches.save_fiche``)."""
    champs = etat["champs"]
    data = {c: champs.get(c) for c in CHAMPS if c != "parent_id"}
    for c in ("date_debut", "date_fin"):
        data[c] = date.fromisoformat(data[c]) if data[c] else None
    data["cibles"] = list(data["cibles"] or [])
    data["amelioration_continue"] = bool(data["amelioration_continue"])
    data["confidentiel"] = bool(data["confidentiel"])
    parent = champs.get("parent_id")
    data["parent_id"] = parent[0] if parent else None
    data["thematique_ids"] = [i for i, _n in etat["thematiques"]]
    data["pilote_ids"] = [i for i, _n in etat["pilotes"]]
    for kind in fiche_service.TAG_FIELDS:
        data[kind] = [nom for k, nom in etat["tags"] if k == kind]
    data["financeurs"] = [fiche_service.FinanceurRow(nom, _decimal(m))
                          for nom, m in etat["financeurs"]]
    data["budgets"] = [fiche_service.BudgetRow(n, u, a, _decimal(p), _decimal(r))
                       for n, u, a, p, r in etat["budgets"]]
    return data


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _liens(fiche: FicheAction, voulus: set[int]) -> None:
    actuels = {f.id for f in fiche_service.linked(fiche)}
    if actuels == voulus:
        return
    autres = {f.id: f for f in db.session.scalars(select(FicheAction).where(
        or_(FicheAction.id.in_(sorted(actuels ^ voulus)))))}
    for fid in sorted(actuels - voulus):
        fiche_service.unlink(fiche, autres[fid])
    for fid in sorted(voulus - actuels):
        fiche_service.link(fiche, autres[fid])
