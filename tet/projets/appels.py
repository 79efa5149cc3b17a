"""Calls for projects: creation, the checks of their settings, their statut
(brouillon → ouvert → clos → décidé, and the committee's meeting) and the copy for the next
year. Only the organiser manages a call (``permissions.gere_appel``)."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from tet.colonnes import utcnow
from tet.extensions import db
from tet.projets.commun import Refus, exiger, journal, texte_de
from tet.projets.models import (
    AppelAProjets,
    AxeAppel,
    Candidature,
    Critere,
    Etape,
    Matrice,
    MembreComite,
    PieceRequise,
)
from tet.projets.permissions import gere_appel
from tet.verrous import LIBRE, verifier
from tet.formats import pluriel

# statut → (next statut, label); the meeting opens while the call is closed
SUIVANTS = {"brouillon": ("ouvert", "Ouvrir l'appel"), "ouvert": ("clos", "Clore les dépôts"),
            "clos": ("decide", "Marquer décidé")}
# a call is decided once none of its deposited candidatures still waits for a decision
EN_ATTENTE_DE_DECISION = ("depose", "eligible", "evalue")


def creer(a, titre: str, annee: int, collectivite_id: int | None, **champs) -> AppelAProjets:
    """A new draft call, organised by ``collectivite_id`` (None: national, support only)."""
    appel = AppelAProjets(annee=annee, collectivite_id=collectivite_id, **champs)
    appel.titre = texte_de(appel, "titre", titre)
    exiger(appel.titre, "Le titre de l'appel est obligatoire.")
    exiger(isinstance(annee, int) and 2000 <= annee <= 2100,
           "L'année de l'appel doit être comprise entre 2000 et 2100.")
    exiger(gere_appel(a, appel), "Seuls les administrateurs et éditeurs d'une collectivité "
           "organisent ses appels ; un appel national est créé par le support.")
    with journal(a, "Appel à projets : création"):
        appel.created_by_id = a.user.id if a.user else None
        if collectivite_id is not None:
            from tet.comptes.models import Collectivite

            appel.territoire = [db.session.get(Collectivite, collectivite_id)]
        db.session.add(appel)
        db.session.flush()
    return appel


TERRITOIRE_MAX = 500  # collectivités covered by one call


def lire_options(valeur) -> list[int]:
    """Scoring options typed as « 1 / 3 / 5 » (or a list): distinct integers 0 to 100."""
    if isinstance(valeur, str):
        valeur = [v for v in re.split(r"[\s/;,]+", valeur) if v]
    try:
        options = sorted({int(v) for v in valeur or []})
    except (TypeError, ValueError):
        raise Refus("Les options de notation sont des nombres entiers, par exemple 1 / 3 / 5.")
    exiger(2 <= len(options) <= 10 and 0 <= options[0] and options[-1] <= 100,
           "Donnez de 2 à 10 options de notation différentes, entre 0 et 100.")
    return options


def modifier(a, appel: AppelAProjets, champs: dict, version=LIBRE) -> AppelAProjets:
    """Change the call's own fields: titre, objectifs, règles d'éligibilité, options (while
    a draft), territoire (collectivité ids)."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel le modifie.")
    verifier(appel, version)
    with journal(a, "Appel à projets : modification"):
        for key in ("titre", "objectifs", "regles_eligibilite"):
            if key in champs:
                setattr(appel, key, texte_de(appel, key, champs[key]))
        exiger(appel.titre, "Le titre de l'appel est obligatoire.")
        if "options_notes" in champs:
            exiger(appel.statut == "brouillon", "Les options de notation ne changent plus une "
                   "fois l'appel ouvert.")
            appel.options_notes = lire_options(champs["options_notes"])
        if "territoire" in champs:
            from tet.comptes.models import Collectivite

            try:
                ids = {int(i) for i in champs["territoire"] or []}
            except (TypeError, ValueError):
                raise Refus("Territoire invalide.") from None
            exiger(len(ids) <= TERRITOIRE_MAX, f"Au plus {TERRITOIRE_MAX} collectivités.")
            appel.territoire = list(db.session.scalars(select(Collectivite).where(
                Collectivite.id.in_(ids)))) if ids else []
        db.session.flush()
    return appel


def erreurs_parametres(appel: AppelAProjets) -> list[str]:
    """What keeps a call from opening (French messages; empty when ready)."""
    errors = []
    if appel.axes and sum(x.part for x in appel.axes) != 100:
        errors.append("Les parts des axes doivent totaliser 100 %.")
    if not appel.matrices:
        errors.append("Ajoutez au moins une matrice d'évaluation.")
    elif sum(m.poids for m in appel.matrices) != 100:
        errors.append("Les poids des matrices doivent totaliser 100 %.")
    for m in appel.matrices:
        options = m.options or appel.options_notes or []
        if not m.criteres:
            errors.append(f"La matrice « {m.nom} » n'a pas de critère.")
        elif sum(c.poids for c in m.criteres) != 100:
            errors.append(f"Les poids des critères de « {m.nom} » doivent totaliser 100 %.")
        if len(set(options)) < 2 or not all(isinstance(o, int) for o in options):
            errors.append(f"Les options de notation de « {m.nom} » doivent être au moins "
                          "deux nombres entiers différents.")
    return errors


def avancer(a, appel: AppelAProjets, version=LIBRE) -> AppelAProjets:
    """Move the call to its next statut (see ``SUIVANTS``)."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel en change le statut.")
    verifier(appel, version)
    exiger(appel.statut in SUIVANTS, "Cet appel est déjà décidé.")
    vers, label = SUIVANTS[appel.statut]
    if vers == "ouvert":
        errors = erreurs_parametres(appel)
        exiger(not errors, "L'appel ne peut pas être ouvert : " + " ".join(errors))
    if vers == "decide":
        restantes = db.session.scalar(select(func.count(Candidature.id)).where(
            Candidature.appel_id == appel.id,
            Candidature.statut.in_(EN_ATTENTE_DE_DECISION))) or 0
        exiger(not restantes, f"{pluriel(restantes, 'dossier attend', 'dossiers attendent')} "
               "encore une décision ou une déclaration d'éligibilité.")
    with journal(a, f"Appel à projets : {label.lower()}"):
        appel.statut = vers
        if vers == "decide":
            appel.seance_ouverte = False
        db.session.flush()
    return appel


def ouvrir_seance(a, appel: AppelAProjets, ouverte: bool = True, version=LIBRE) -> None:
    """Open (or close) the committee's meeting: while it is open its members see each
    other's notes and vote. A call open all year (« écoute à projets ») may hold several
    meetings before its dépôts close; never a draft nor a decided call."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel ouvre la séance du comité.")
    verifier(appel, version)
    exiger(appel.statut in ("ouvert", "clos"),
           "La séance du comité se tient pendant l'appel (ouvert ou clos, pas encore décidé).")
    with journal(a, "Appel à projets : " + ("ouverture" if ouverte else "clôture")
                 + " de la séance du comité"):
        appel.seance_ouverte = ouverte
        appel.seance_ouverte_le = utcnow() if ouverte else appel.seance_ouverte_le
        db.session.flush()


def _un_an_plus_tard(d: date | None) -> date | None:
    if d is None:
        return None
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def copier(a, appel: AppelAProjets) -> AppelAProjets:
    """The call for the next year: a new draft with the same territory, axes, matrices,
    criteria, pièces and étapes (dates one year later), its committee's members who have an
    account, and no candidature."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel peut le copier.")
    titre = appel.titre.replace(str(appel.annee), str(appel.annee + 1))
    if titre == appel.titre:
        titre = f"{appel.titre} ({appel.annee + 1})"
    with journal(a, f"Appel à projets : copie de l'appel n°{appel.id}"):
        copie = AppelAProjets(
            titre=titre[:300], annee=appel.annee + 1, collectivite_id=appel.collectivite_id,
            objectifs=appel.objectifs, regles_eligibilite=appel.regles_eligibilite,
            options_notes=list(appel.options_notes or []), copied_from_id=appel.id,
            created_by_id=a.user.id if a.user else None, territoire=list(appel.territoire))
        axes = {x.id: AxeAppel(nom=x.nom, description=x.description, part=x.part,
                               position=x.position) for x in appel.axes}
        copie.axes = list(axes.values())
        copie.etapes = [Etape(kind=e.kind, date_debut=_un_an_plus_tard(e.date_debut),
                              date_fin=_un_an_plus_tard(e.date_fin)) for e in appel.etapes]
        copie.pieces = [PieceRequise(libelle=p.libelle, description=p.description,
                                     obligatoire=p.obligatoire, position=p.position)
                        for p in appel.pieces]
        copie.matrices = [Matrice(
            nom=m.nom, poids=m.poids, options=list(m.options) if m.options else None,
            position=m.position,
            criteres=[Critere(libelle=c.libelle, description=c.description, poids=c.poids,
                              position=c.position, axe=axes.get(c.axe_id))
                      for c in m.criteres]) for m in appel.matrices]
        copie.comite = [MembreComite(user_id=m.user_id, origine=m.origine,
                                     collectivite_id=m.collectivite_id)
                        for m in appel.comite if m.user_id is not None]
        db.session.add(copie)
        db.session.flush()
    return copie


def supprimer(a, appel: AppelAProjets) -> None:
    """Only a draft call goes (it has no candidature but drafts)."""
    exiger(gere_appel(a, appel), "Seul l'organisateur de l'appel peut le supprimer.")
    if appel.statut != "brouillon":
        raise Refus("Seul un appel en brouillon se supprime ; un appel publié se clôt.")
    with journal(a, "Appel à projets : suppression"):
        db.session.delete(appel)
        db.session.flush()
