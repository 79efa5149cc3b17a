"""Demo call for projects (idempotent: nothing is done when the call exists).

« Appel à projets CTE du Val Démo 2026 » run by the CC du Val Démo with the six usual axes of a
Contrat de transition écologique and the matrices Opportunité / Faisabilité (options
1 / 3 / 5). The story goes through the services, as the users would click it:
- porteur.asso@tet.test, admin of « Énergies Citoyennes du Val »: one dossier déposé (the
  organiser has to check its eligibility), one brouillon (to complete and deposit);
- porteur.entreprise@tet.test, admin of « Transports Verts du Val »: one dossier retenu and
  en suivi (its fiche in the CC's plan « Projets retenus — … », impact values validated and
  one waiting for validation; its budget is not public: the confidential field), one not
  retained;
- comite1@tet.test (expert) and comite2@tet.test (élu of a partner commune) sit on the
  committee; they scored and voted on the decided dossiers at a first meeting, now closed.
Password ``tet-demo`` as the other demo accounts.
"""
from __future__ import annotations

import io
import json
import logging
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from tet.colonnes import utcnow
from tet.comptes import services as accounts
from tet.comptes.models import Collectivite, User
from tet.comptes.permissions import build_acteur
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets import appels, decision, dossiers, evaluation, pieces, suivi, transitions
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

DATA = Path(__file__).with_name("demo_projets.json")
TITRE = "Appel à projets CTE du Val Démo 2026"
CC_SIREN = "200099901"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% piece de demonstration\n%%EOF\n"


@contextmanager
def _sans_courriels():
    """The story notifies in the app; no e-mail to the demo addresses, no log of them."""
    config, logger = current_app.config, logging.getLogger("tet.mail")
    server, level = config.get("MAIL_SERVER"), logger.level
    config["MAIL_SERVER"] = None
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        config["MAIL_SERVER"] = server
        logger.setLevel(level)


def _user(u: dict, password: str) -> User:
    user = accounts.find_user(u["email"])
    if user is None:
        user = User(email=u["email"], prenom=u["prenom"], nom=u["nom"],
                    fonction=u.get("fonction"), email_verifie_le=utcnow())
        accounts.set_password(user, password, enforce_policy=False)
        db.session.add(user)
        db.session.flush()
    return user


def _appel(data: dict, cc: Collectivite, organisateur) -> AppelAProjets:
    a = data["appel"]
    axes = {x["nom"]: AxeAppel(nom=x["nom"], description=x["description"], part=x["part"],
                               position=i) for i, x in enumerate(a["axes"])}
    appel = appels.creer(organisateur, TITRE, 2026, cc.id, objectifs=a["objectifs"],
                         regles_eligibilite=a["regles_eligibilite"], options_notes=[1, 3, 5])
    appel.territoire = [cc, *cc.membres]
    appel.axes = list(axes.values())
    appel.matrices = [Matrice(nom=m["nom"], poids=m["poids"], position=i, criteres=[
        Critere(libelle=c["libelle"], poids=c["poids"], position=j, axe=axes.get(c.get("axe")))
        for j, c in enumerate(m["criteres"])]) for i, m in enumerate(a["matrices"])]
    appel.pieces = [PieceRequise(libelle=p["libelle"], obligatoire=p["obligatoire"],
                                 position=i) for i, p in enumerate(a["pieces"])]
    # the dépôt stays open a while whenever the demo is loaded
    fin_depot = max(date(2026, 12, 31), date.today() + timedelta(days=90))
    appel.etapes = [Etape(kind="depot", date_debut=date(2026, 1, 15), date_fin=fin_depot)] + [
        Etape(kind=e["kind"], date_debut=date.fromisoformat(e["debut"]),
              date_fin=max(date.fromisoformat(e["fin"]), fin_depot + timedelta(days=30 * i)))
        for i, e in enumerate(a["etapes"], 1)]
    db.session.flush()
    appels.avancer(organisateur, appel)  # ouvert
    return appel


def _organisation(o: dict, admin: User) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.nom == o["nom"]))
    if org is None:
        org = Organisation(**{k: v for k, v in o.items() if k != "admin"},
                           membres=[OrganisationMembre(user_id=admin.id, role="admin")])
        db.session.add(org)
        db.session.flush()
    return org


def _dossier(porteur, appel: AppelAProjets, d: dict):
    """Create the dossier with its risks, financing and pièces, and its candidature."""
    dossier = dossiers.creer(porteur, d["dossier"])
    for r in d.get("risques", []):
        dossiers.ajouter_risque(porteur, dossier, r["categorie"], r["libelle"],
                                r["probabilite"], r["gravite"], r.get("mesures"))
    for f in d.get("financements", []):
        dossiers.ajouter_financement(porteur, dossier, f["cofinanceur"], f["montant"],
                                     f.get("acquis", False))
    for stade, prevue in d.get("jalons", {}).items():
        dossiers.planifier(porteur, dossier, stade, date.fromisoformat(prevue))
    cand = dossiers.candidater(porteur, dossier, appel)
    axe = next(x for x in appel.axes if x.nom == d["axe"])
    dossiers.modifier_candidature(porteur, cand, {"axe_id": axe.id, **d["candidature"]})
    by_label = {p.libelle: p for p in appel.pieces}
    for nom, libelle in d.get("pieces", {}).items():
        pieces.ajouter(porteur, dossier, io.BytesIO(PDF), nom, by_label.get(libelle))
    return cand


def load_demo_projets(data_path: Path = DATA) -> bool:
    """Load the story; False when the call already exists."""
    if db.session.scalar(select(AppelAProjets.id).where(AppelAProjets.titre == TITRE)):
        return False
    data = json.loads(data_path.read_text(encoding="utf-8"))
    with _sans_courriels():
        _histoire(data)
    db.session.commit()
    return True


def _histoire(data: dict) -> None:
    cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == CC_SIREN))
    users = {u["email"]: _user(u, data["password"]) for u in data["users"]}
    admin_cc = db.session.scalar(select(User).where(User.email == "admin.cc@tet.test"))
    org_a = build_acteur(admin_cc, f"collectivite:{cc.id}")
    appel = _appel(data, cc, org_a)
    valbourg = next((c for c in cc.membres if c.siren == "216790105"), None)
    membres = []
    for email, origine in (("comite1@tet.test", "expert"), ("comite2@tet.test", "partenaire")):
        membres.append(MembreComite(appel_id=appel.id, user_id=users[email].id, origine=origine,
                                    collectivite_id=valbourg.id if origine == "partenaire"
                                    and valbourg else None, invite_le=utcnow(),
                                    accepte_le=utcnow()))
    db.session.add_all(membres)
    holders = {}
    for o in data["organisations"]:
        org = _organisation(o, users[o["admin"]])
        holders[o["admin"]] = build_acteur(users[o["admin"]], f"organisation:{org.id}")
    cands = {}
    for d in data["dossiers"]:
        porteur = holders[d["porteur"]]
        cands[d["cle"]] = cand = _dossier(porteur, appel, d)
        if d["statut"] != "brouillon":
            transitions.appliquer(porteur, cand, "deposer")
    db.session.flush()
    jury = [build_acteur(users[e], f"comite:{appel.id}")
            for e in ("comite1@tet.test", "comite2@tet.test")]
    decides = [d for d in data["dossiers"] if d["statut"] in ("en_suivi", "non_retenu")]
    for d in decides:
        cand = cands[d["cle"]]
        transitions.appliquer(org_a, cand, "declarer_eligible")
        criteres = [c for m in appel.matrices for c in m.criteres]
        for membre, notes in zip(jury, d["notes"]):
            for critere, (note, justification) in zip(criteres, notes):
                evaluation.noter(membre, cand, critere, note, justification)
        transitions.appliquer(org_a, cand, "clore_evaluation")
    appels.ouvrir_seance(org_a, appel)
    for d in decides:
        cand = cands[d["cle"]]
        for membre, choix in zip(jury, d["votes"]):
            decision.voter(membre, cand, choix)
        decision.decider(org_a, cand, d["motivation"])
    appels.ouvrir_seance(org_a, appel, ouverte=False)
    for d in data["dossiers"]:
        if d["statut"] == "en_suivi":
            _suivi(org_a, holders[d["porteur"]], cands[d["cle"]], cc, d["impacts"])


def _suivi(org_a, porteur, cand, cc: Collectivite, impacts: list) -> None:
    transitions.appliquer(org_a, cand, "conventionner")
    transitions.appliquer(org_a, cand, "mettre_en_suivi")
    for i in impacts:
        definition = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id == cc.id, IndicateurDefinition.nom == i["nom"]))
        if definition is None:
            definition = IndicateurDefinition(collectivite_id=cc.id, nom=i["nom"],
                                              unite=i["unite"], thematique=i["thematique"])
            db.session.add(definition)
            db.session.flush()
        impact = suivi.ajouter_impact(porteur, cand, definition, i["annee_reference"],
                                      i["valeur_reference"])
        for annee, type_, valeur, valider in i["valeurs"]:
            row = suivi.proposer_valeur(porteur, impact, annee, type_, valeur)
            if valider:
                suivi.valider_valeur(org_a, row, True)
