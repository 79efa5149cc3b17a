"""A small call for projects to test on (call inside an app context).

``monde()`` builds, on top of the demo accounts: a call of the CC du Val Démo (one axe of
100 %, matrices Opportunité 60 % and Faisabilité 40 %, two criteria each, options 1 / 3 /
5, one required pièce), two holder organisations with one admin each, and a committee of
three accounts; ``acteur(user, kind, id)`` is who acts, as the header would choose it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select

from tet.comptes.models import Collectivite, User
from tet.comptes.permissions import build_acteur
from tet.extensions import db
from tet.projets import dossiers, pieces, transitions
from tet.projets.models import (
    AppelAProjets,
    AxeAppel,
    Critere,
    Etape,
    Matrice,
    MembreComite,
    Organisation,
    OrganisationMembre,
    PieceRequise,
)
from tests import builders

PDF = b"%PDF-1.4\n% test\n"
CC_SIREN, VILLE_SIREN = "200099901", "216890103"


def acteur(user: User, kind: str | None = None, id_: int | None = None):
    return build_acteur(user, f"{kind}:{id_}" if kind else None)


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def organisation(nom: str, email: str, type_: str = "association") -> tuple:
    u = builders.user(email)
    org = Organisation(nom=nom, type=type_, departement="67",
                       membres=[OrganisationMembre(user_id=u.id, role="admin")])
    db.session.add(org)
    db.session.flush()
    return org, u


@dataclass
class Monde:
    cc: Collectivite
    appel: AppelAProjets
    axe: AxeAppel
    opportunite: Matrice
    faisabilite: Matrice
    criteres: list  # [opp1 (50), opp2 (50), fais1 (50), fais2 (50)]
    piece: PieceRequise
    org: Organisation
    porteur: User
    autre_org: Organisation
    autre_porteur: User
    membres: list  # MembreComite × 3
    comite_users: list

    def porteur_a(self):
        return acteur(self.porteur, "organisation", self.org.id)

    def autre_porteur_a(self):
        return acteur(self.autre_porteur, "organisation", self.autre_org.id)

    def organisateur_a(self, email="admin.cc@tet.test"):
        return acteur(user(email), "collectivite", self.cc.id)

    def membre_a(self, i: int):
        return acteur(self.comite_users[i], "comite", self.appel.id)


def monde(statut: str = "ouvert") -> Monde:
    cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == CC_SIREN))
    axe = AxeAppel(nom="Mobilité durable", part=100, position=0)
    opp = Matrice(nom="Opportunité", poids=60, position=0, criteres=[
        Critere(libelle="Priorité politique", poids=50, position=0, axe=axe),
        Critere(libelle="Bénéfice usagers", poids=50, position=1)])
    fais = Matrice(nom="Faisabilité", poids=40, position=1, criteres=[
        Critere(libelle="Calendrier", poids=50, position=0),
        Critere(libelle="Capacité financière", poids=50, position=1, axe=axe)])
    piece = PieceRequise(libelle="Budget prévisionnel", obligatoire=True, position=0)
    appel = AppelAProjets(titre="Appel test 2026", annee=2026, collectivite_id=cc.id,
                          statut=statut, options_notes=[1, 3, 5], territoire=[cc],
                          axes=[axe], matrices=[opp, fais], pieces=[piece],
                          etapes=[Etape(kind="depot")])
    db.session.add(appel)
    org, porteur = organisation("Association Test", "porteur.test@tet.test")
    autre, autre_porteur = organisation("Entreprise Autre", "porteur.autre@tet.test",
                                        "entreprise")
    comite_users = [builders.user(f"membre{i}@tet.test") for i in range(3)]
    membres = [MembreComite(appel=appel, user_id=u.id, origine="expert")
               for u in comite_users]
    db.session.add_all(membres)
    db.session.flush()
    return Monde(cc, appel, axe, opp, fais, opp.criteres + fais.criteres, piece, org,
                 porteur, autre, autre_porteur, membres, comite_users)


def candidature(m: Monde, titre: str = "Navette électrique", deposer: bool = True,
                org=None):
    """A dossier of ``m.org`` (or ``org``: (organisation, user)) answering the call, with
    its required pièce, deposited unless told otherwise."""
    holder = m.porteur_a() if org is None else acteur(org[1], "organisation", org[0].id)
    dossier = dossiers.creer(holder, {"titre": titre, "description": "Un projet utile."})
    cand = dossiers.candidater(holder, dossier, m.appel)
    dossiers.modifier_candidature(holder, cand, {"axe_id": m.axe.id})
    pieces.ajouter(holder, dossier, io.BytesIO(PDF), "budget.pdf", m.piece)
    if deposer:
        transitions.appliquer(holder, cand, "deposer")
    return cand


def noter_tout(m: Monde, cand, notes_par_membre: dict[int, list[int]]) -> None:
    """``{member index: [note per criterion in m.criteres order]}``."""
    from tet.projets import evaluation

    for i, notes in notes_par_membre.items():
        for critere, note in zip(m.criteres, notes):
            evaluation.noter(m.membre_a(i), cand, critere, note, "Justification détaillée.")
