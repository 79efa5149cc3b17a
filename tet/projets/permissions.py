"""Who sees and does what in the calls for projects (row filters in SQL).

- Organiser: the members of the collectivité running the call (``appel.collectivite_id``);
  admin / édition manage it and record decisions, lecture reads; support runs the national
  calls (``collectivite_id`` None) and sees everything. The organiser sees the candidatures
  once deposited (a draft never deposited is the holder's alone; one sent back stays).
- Holder (contexte ``organisation``): its organisation's dossiers and candidatures only;
  edits a candidature only while it is a brouillon, its dossier only while none of its
  candidatures is under instruction (déposé, éligible, évalué).
- Committee member (contexte ``comite``, one call): the call's deposited candidatures
  (never the drafts nor the non-eligible ones), its own evaluations, and the others' only
  once the organiser opened the committee's meeting (``appel.seance_ouverte``); the organiser
  too sees the notes only from then. Nobody on the committee decides alone.
- Anyone else, an organiser of another territory included: nothing.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, false, literal_column, or_, select, union_all

from tet.comptes.permissions import (
    WRITE_NIVEAUX,
    Acteur,
    Contexte,
    Policy,
    ReadOnlyPolicy,
    register,
    register_contextes,
)
from tet.extensions import db
from tet.projets.models import (
    AppelAProjets,
    AxeAppel,
    Candidature,
    Critere,
    Decision,
    Dossier,
    Etape,
    Evaluation,
    Financement,
    Impact,
    ImpactValeur,
    Jalon,
    Matrice,
    MembreComite,
    Message,
    Organisation,
    OrganisationMembre,
    PieceJustificative,
    PieceRequise,
    Risque,
    Vote,
)

EN_INSTRUCTION = ("depose", "eligible", "evalue")
# what a committee member sees of the call: deposited and not set aside as non eligible
VUS_DU_COMITE = ("depose", "eligible", "evalue", "retenu", "non_retenu", "conventionne",
                 "en_suivi")


def gere_appel(a: Acteur, appel: AppelAProjets) -> bool:
    """Manage the call (its settings, the committee, the transitions, the decisions)."""
    if a.is_support:
        return True
    return appel.collectivite_id is not None and a.can_write_collectivite(appel.collectivite_id)


def organise_appel(a: Acteur, appel: AppelAProjets) -> bool:
    """Read the call as its organiser (any niveau of the organising collectivité)."""
    return a.is_support or (appel.collectivite_id is not None
                            and a.collectivite_id == appel.collectivite_id)


def membre_du_comite(a: Acteur, appel_id: int) -> MembreComite | None:
    """The acteur's committee seat on the call, when acting as a committee member."""
    if a.user is None or a.comite_appel_id != appel_id:
        return None
    return db.session.scalar(select(MembreComite).where(
        MembreComite.appel_id == appel_id, MembreComite.user_id == a.user.id))


def contextes(user) -> list[Contexte]:
    """The user's organisations porteuses and committees (of calls past their draft), in one
    query: the contextes ``organisation`` and ``comite`` of the header."""
    kind = lambda k: literal_column(f"'{k}'").label("kind")  # noqa: E731
    orgs = (select(kind("organisation"), Organisation.id, OrganisationMembre.role,
                   Organisation.nom)
            .join(Organisation, Organisation.id == OrganisationMembre.organisation_id)
            .where(OrganisationMembre.user_id == user.id))
    comites = (select(kind("comite"), AppelAProjets.id, MembreComite.origine,
                      AppelAProjets.titre)
               .join(AppelAProjets, AppelAProjets.id == MembreComite.appel_id)
               .where(MembreComite.user_id == user.id, AppelAProjets.statut != "brouillon"))
    rows = db.session.execute(union_all(orgs, comites).order_by("kind", "nom")).all()
    return [Contexte(kind, id_, role, nom if kind == "organisation" else f"Comité : {nom}")
            for kind, id_, role, nom in rows]


def est_porteur(a: Acteur, dossier: Dossier) -> bool:
    return a.organisation_id is not None and dossier.organisation_id == a.organisation_id


def appels_visibles(a: Acteur):
    """Condition on ``AppelAProjets``: organiser's calls; for a holder every published call
    (to apply); for a committee member its call."""
    if a.is_support:
        return None
    if a.collectivite_id:
        return AppelAProjets.collectivite_id == a.collectivite_id
    if a.organisation_id:
        return AppelAProjets.statut != "brouillon"
    if a.comite_appel_id:
        return AppelAProjets.id == a.comite_appel_id
    return false()


def deposee_une_fois():
    """Condition: the candidature was deposited at least once (sent back to its holder, it
    stays in the organiser's sight); a draft never deposited is the holder's alone."""
    return or_(Candidature.statut != "brouillon", Candidature.deposee_le.is_not(None))


def candidatures_visibles(a: Acteur):
    """Condition on ``Candidature`` (see the module docstring)."""
    if a.is_support:
        return None
    if a.collectivite_id:
        return and_(deposee_une_fois(), Candidature.appel_id.in_(
            select(AppelAProjets.id).where(AppelAProjets.collectivite_id == a.collectivite_id)))
    if a.organisation_id:
        return Candidature.dossier_id.in_(
            select(Dossier.id).where(Dossier.organisation_id == a.organisation_id))
    if a.comite_appel_id:
        return and_(Candidature.appel_id == a.comite_appel_id,
                    Candidature.statut.in_(VUS_DU_COMITE))
    return false()


def dossiers_visibles(a: Acteur):
    """Condition on ``Dossier``: the holder's own; for the organiser and the committee the
    dossiers with a candidature they see."""
    if a.is_support:
        return None
    if a.organisation_id:
        return Dossier.organisation_id == a.organisation_id
    cond = candidatures_visibles(a)
    if a.collectivite_id or a.comite_appel_id:
        return exists(select(Candidature.id).where(Candidature.dossier_id == Dossier.id, cond))
    return false()


def evaluations_visibles(a: Acteur):
    """Condition on ``Evaluation`` (and ``Vote`` through ``model``): one's own notes; the
    others' once the meeting is open; never for a holder."""
    return _notes_visibles(a, Evaluation)


def _notes_visibles(a: Acteur, model):
    if a.is_support:
        return None
    seance = select(Candidature.id).join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
    if a.collectivite_id:
        return model.candidature_id.in_(seance.where(
            AppelAProjets.collectivite_id == a.collectivite_id,
            AppelAProjets.seance_ouverte.is_(True)))
    if a.comite_appel_id and a.user is not None:
        mine = model.membre_id.in_(select(MembreComite.id).where(
            MembreComite.user_id == a.user.id, MembreComite.appel_id == a.comite_appel_id))
        opened = model.candidature_id.in_(seance.where(
            AppelAProjets.id == a.comite_appel_id, AppelAProjets.seance_ouverte.is_(True),
            Candidature.statut.in_(VUS_DU_COMITE)))
        return or_(mine, opened)
    return false()


def voit_classement(a: Acteur, appel: AppelAProjets) -> bool:
    """The ranking (scores of every candidature) shows the committee's notes: the organiser
    and the committee see it once the meeting is open, support always."""
    if a.is_support:
        return True
    return appel.seance_ouverte and (organise_appel(a, appel) or a.comite_appel_id == appel.id)


def peut_modifier_dossier(a: Acteur, dossier: Dossier) -> bool:
    """The holder, while no candidature of the dossier is under instruction."""
    if not est_porteur(a, dossier):
        return False
    return db.session.scalar(select(Candidature.id).where(
        Candidature.dossier_id == dossier.id, Candidature.statut.in_(EN_INSTRUCTION))
        .limit(1)) is None


def peut_modifier_candidature(a: Acteur, cand: Candidature) -> bool:
    return cand.statut == "brouillon" and est_porteur(a, cand.dossier)


class _ProjetsPolicy(ReadOnlyPolicy):
    """Read through ``condition``; writes go through the services (their own checks)."""

    def condition(self, a: Acteur):
        raise NotImplementedError

    def can_list(self, a: Acteur) -> bool:
        return a.is_support or a.contexte is not None


class OrganisationPolicy(_ProjetsPolicy):
    model = Organisation

    def condition(self, a):
        if a.is_support:
            return None
        if a.organisation_id:
            return Organisation.id == a.organisation_id
        dossiers = dossiers_visibles(a)
        if a.collectivite_id or a.comite_appel_id:
            return exists(select(Dossier.id).where(Dossier.organisation_id == Organisation.id,
                                                   dossiers))
        return false()

    def can_edit(self, a, obj=None):
        if a.is_support:
            return True
        if a.organisation_id is None or a.contexte.role != "admin":
            return False
        return obj is None or obj.id == a.organisation_id


class MembreOrganisationPolicy(_ProjetsPolicy):
    model = OrganisationMembre

    def condition(self, a):
        if a.is_support:
            return None
        if a.organisation_id:
            return OrganisationMembre.organisation_id == a.organisation_id
        return false()

    def can_edit(self, a, obj=None):
        """The organisation's admins manage its members."""
        if a.is_support:
            return True
        if a.organisation_id is None or a.contexte.role != "admin":
            return False
        return obj is None or obj.organisation_id == a.organisation_id

    def can_create(self, a):
        return self.can_edit(a)

    can_delete = can_edit


class AppelPolicy(_ProjetsPolicy):
    model = AppelAProjets

    def condition(self, a):
        return appels_visibles(a)

    def can_create(self, a):
        return a.is_support or a.niveau in WRITE_NIVEAUX

    def can_edit(self, a, obj=None):
        if obj is None:
            return self.can_create(a)
        return gere_appel(a, obj)

    def can_delete(self, a, obj=None):
        """Only a draft call (``appels.supprimer``)."""
        if obj is None:
            return self.can_create(a)
        return self.can_edit(a, obj) and obj.statut == "brouillon"


def reglage_modifiable(a: Acteur, appel: AppelAProjets, etape: bool = False) -> bool:
    """The call's settings change while it is a draft (axes, matrices, criteria, pièces:
    the scores and the dépôts rely on them); its étapes' dates until it is decided."""
    statuts = ("brouillon", "ouvert", "clos") if etape else ("brouillon",)
    return gere_appel(a, appel) and appel.statut in statuts


class _SousAppelPolicy(_ProjetsPolicy):
    """Axes, étapes, pièces requises, matrices and committee seats follow their call; the
    organiser edits them while ``reglage_modifiable`` (the committee through
    ``tet.projets.comite``)."""

    def condition(self, a):
        cond = appels_visibles(a)
        if cond is None:
            return None
        if self.model is MembreComite and (a.organisation_id or a.comite_appel_id):
            return false()  # the committee's composition is the organiser's
        return self.model.appel_id.in_(select(AppelAProjets.id).where(cond))

    def _appel(self, obj):
        return obj.appel

    def can_create(self, a):
        return self.model is not MembreComite and AppelPolicy().can_create(a)

    def can_edit(self, a, obj=None):
        if self.model is MembreComite:
            return False
        if obj is None:
            return self.can_create(a)
        return reglage_modifiable(a, self._appel(obj), etape=self.model is Etape)

    can_delete = can_edit


class CriterePolicy(_SousAppelPolicy):
    model = Critere

    def condition(self, a):
        cond = appels_visibles(a)
        return None if cond is None else Critere.matrice_id.in_(
            select(Matrice.id).join(AppelAProjets, AppelAProjets.id == Matrice.appel_id)
            .where(cond))

    def _appel(self, obj):
        return obj.matrice.appel


class _PorteurPolicy(_ProjetsPolicy):
    """Rows a holder creates and changes (``modifiable``) for its organisation."""

    def modifiable(self, a: Acteur, obj) -> bool:
        raise NotImplementedError

    def can_create(self, a):
        return a.organisation_id is not None

    def can_edit(self, a, obj=None):
        return self.can_create(a) if obj is None else self.modifiable(a, obj)


class DossierPolicy(_PorteurPolicy):
    model = Dossier

    def condition(self, a):
        return dossiers_visibles(a)

    def modifiable(self, a, obj):
        return peut_modifier_dossier(a, obj)


class _SousDossierPolicy(_PorteurPolicy):
    """Pièces, risques, financements, jalons: those who see the dossier; its holder changes
    them while it may change the dossier (``pieces`` refines it for the required ones)."""

    def condition(self, a):
        cond = dossiers_visibles(a)
        return None if cond is None else self.model.dossier_id.in_(
            select(Dossier.id).where(cond))

    def modifiable(self, a, obj):
        return peut_modifier_dossier(a, obj.dossier)

    def can_delete(self, a, obj=None):
        return self.can_edit(a, obj)


class CandidaturePolicy(_PorteurPolicy):
    model = Candidature

    def condition(self, a):
        return candidatures_visibles(a)

    def modifiable(self, a, obj):
        return peut_modifier_candidature(a, obj)


class EvaluationPolicy(_ProjetsPolicy):
    model = Evaluation

    def condition(self, a):
        return evaluations_visibles(a)


class VotePolicy(_ProjetsPolicy):
    model = Vote

    def condition(self, a):
        return _notes_visibles(a, Vote)


class _SousCandidaturePolicy(_ProjetsPolicy):
    """Decisions, messages and impact indicators: the holder and the organiser (the
    committee sees the decisions of its call, not the messages nor the impacts)."""

    comite = False

    def condition(self, a):
        if a.comite_appel_id and not self.comite:
            return false()
        cond = candidatures_visibles(a)
        return None if cond is None else self.model.candidature_id.in_(
            select(Candidature.id).where(cond))


class ImpactValeurPolicy(_ProjetsPolicy):
    model = ImpactValeur

    def condition(self, a):
        if a.comite_appel_id:
            return false()
        cond = candidatures_visibles(a)
        return None if cond is None else ImpactValeur.impact_id.in_(
            select(Impact.id).join(Candidature, Candidature.id == Impact.candidature_id)
            .where(cond))


def _policy(base: type, model, **attrs) -> Policy:
    """An instance of ``base`` for ``model`` (the same rule for several tables)."""
    return type(f"{model.__name__}Policy", (base,), {"model": model, **attrs})()


register(
    OrganisationPolicy(), MembreOrganisationPolicy(), AppelPolicy(), CriterePolicy(),
    *(_policy(_SousAppelPolicy, m) for m in (AxeAppel, Etape, PieceRequise, Matrice,
                                             MembreComite)),
    DossierPolicy(),
    *(_policy(_SousDossierPolicy, m) for m in (PieceJustificative, Risque, Financement,
                                               Jalon)),
    CandidaturePolicy(), EvaluationPolicy(), VotePolicy(),
    _policy(_SousCandidaturePolicy, Decision, comite=True),
    _policy(_SousCandidaturePolicy, Message), _policy(_SousCandidaturePolicy, Impact),
    ImpactValeurPolicy(),
)
register_contextes(contextes)
