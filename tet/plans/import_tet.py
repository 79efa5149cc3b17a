"""Territoires en Transitions' own plan-import workbook, read as it is: a title row, the
header on row 2 (28 columns in a fixed order, the « Montant € HT » label three times), one
or more hint rows (« Champ texte », « Champ numérique »…), then one row per action, or per
sous-action (« Titre de la sous-action » filled: it belongs to the action of the same title
under the same axe). Read into the same ``Lecture`` as our template, so that both formats go
through the same preview, confirmation and command.

Where TeT's rules differ from our template's, TeT's apply to its workbooks: an empty axe
cell means « no axe » (no carry-over from the row above), two actions with one title under
one axe are an error (never merged), a row holding axes only creates them, a sous-action
needs its action's own row. A sous-action becomes a sous-fiche (``FicheAction.parent``,
one level, as fiche-action.md has it), filed under the same axe as its action."""
from __future__ import annotations

import math
import re
from datetime import date, datetime

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from tet.plans.format import COLUMNS, normalise
from tet.plans.import_lecture import (
    FicheLue,
    HEADER_NAMES,
    Lecture,
    PlanLu,
    Probleme,
    _blank,
    _normalise,
    _plan_type,
    _text,
    lire_champs,
)

# TeT's 28 columns are our template's first 28, in the same order; only the third header
# is spelt differently there (« Sous-sous axe »). Later columns are read by their header.
COLONNES = [(key, {normalise(header)}) for header, _w, key in COLUMNS[:28]]
COLONNES[2][1].add(normalise("Sous-sous axe (x.x.x)"))
APRES = {normalise(header): key for header, _w, key in COLUMNS[28:]}
AXES = ("axe1", "axe2", "axe3")
# the template's section headings on the title row: not a plan name
SECTIONS = {normalise(s) for s in (
    "Présentation de l'action", "Objectifs et indicateurs", "Modalités de mise en oeuvre",
    "Modalités de mise en œuvre", "Actions liées")}
# the template's own sheet names: not a plan name either
FEUILLES = {normalise(s) for s in ("Fichier d'import", "Fichier dimport", "Plan d'action",
                                   "Plan daction", "Plan", "Feuil1", "Sheet1")}
# TeT's priorité words that our list does not have
PRIORITES = {"haut": "Élevé", "haute": "Élevé", "elevee": "Élevé", "forte": "Élevé",
             "fort": "Élevé", "moyenne": "Moyen", "basse": "Bas", "faible": "Bas"}
SERIE_MAX = 2958465  # 31/12/9999 in Excel's numbering


def lire_feuille(feuille: str, entete, dessus: list, lignes, lecture: Lecture,
                 nom_fichier: str = "") -> None:
    """One sheet whose header (row 2) is TeT's; ``dessus``: the title row's cells,
    ``lignes``: the rows after the header (row 3 on), already bounded."""
    colonnes = _colonnes(feuille, entete, lecture)
    if colonnes is None:
        return
    plan = PlanLu(feuille, _nom(feuille, dessus, nom_fichier), _plan_type(dessus),
                  source="tet")
    lecture.plans.append(plan)
    lecteur = _Lecteur(plan, lecture)
    consignes = True
    for numero, row in enumerate(lignes, start=3):
        v = {key: row[col] if col < len(row) else None for key, col in colonnes.items()}
        if consignes and _consigne(row, v, numero):
            continue
        consignes = False
        if all(_blank(value) for value in v.values()):
            continue
        lecteur.ligne(numero, v)
    lecteur.fin()


def _colonnes(feuille: str, entete, lecture: Lecture) -> dict[str, int] | None:
    """key → column; None (and an error per misplaced column) if the 28 are not in order."""
    cells = list(entete) + [None] * max(0, 28 - len(entete))
    colonnes, fautes = {}, []
    for col, (key, noms) in enumerate(COLONNES):
        if normalise(cells[col]) in noms:
            colonnes[key] = col
        else:
            lettre = get_column_letter(col + 1)
            trouve = _text(cells[col])
            fautes.append(Probleme(feuille, 2, lettre, (
                f"la colonne {lettre} devrait être « {HEADER_NAMES[key]} » et non "
                f"« {trouve} »" if trouve else
                f"la colonne {lettre} devrait être « {HEADER_NAMES[key]} » (vide)")
                + " : le modèle de Territoires en Transitions a 28 colonnes, dans cet ordre."))
    if fautes:
        lecture.problemes.extend(fautes)
        return None
    for col, cell in enumerate(cells[28:], start=28):
        key = APRES.get(normalise(cell))
        if key is not None:
            colonnes.setdefault(key, col)
    return colonnes


def _consigne(row, v: dict, numero: int) -> bool:
    """A hint row under the header: cells such as « Champ texte », or row 3 without any
    title (the template keeps it for hints)."""
    if any(isinstance(c, str) and normalise(c).startswith("champ ") for c in row):
        return True
    return numero == 3 and _blank(v.get("titre")) and _blank(v.get("sous_titre"))


def _nom(feuille: str, dessus: list, nom_fichier: str) -> str:
    """The title row's first cell (unless a section heading or a « Type : » line), else
    the sheet's name (unless the template's own), else the file's name."""
    titre = _text(dessus[0]) if dessus else ""
    if titre and normalise(titre) not in SECTIONS and not re.match(r"type( de plan)?\s*:",
                                                                   normalise(titre)):
        return titre[:300]
    if normalise(feuille) not in FEUILLES or not nom_fichier:
        return feuille.strip()
    return re.sub(r"\.xlsx$", "", nom_fichier.strip(), flags=re.I)[:300] or feuille.strip()


def _ou(path: tuple) -> str:
    return "sous l'axe « " + " > ".join(path) + " »" if path else "sans axe"


class _Lecteur:
    """The sheet's actions and sous-actions, checked as TeT checks them."""

    def __init__(self, plan: PlanLu, lecture: Lecture):
        self.plan, self.lecture = plan, lecture
        self.actions: dict[tuple, FicheLue] = {}  # (path, titre) → action
        self.titres: dict[str, FicheLue] = {}  # titre → first action of that title
        self.sous: dict[tuple, FicheLue] = {}  # (path, titre, sous-titre) → sous-action
        self.chemins: set[tuple] = set()

    def probleme(self, numero, key, message, bloquant=True):
        self.lecture.problemes.append(Probleme(self.plan.feuille, numero,
                                               HEADER_NAMES.get(key), message, bloquant))

    def ligne(self, numero: int, v: dict) -> None:
        path = tuple(p for p in (_text(v.get(k)) for k in AXES) if p)
        if path and path not in self.chemins:
            self.chemins.add(path)
            self.plan.chemins.append(path)
        titre, sous = _text(v.get("titre")), _text(v.get("sous_titre"))
        if not titre:
            if sous:
                self.probleme(numero, "titre", f"la sous-action « {sous} » n'a pas de « Titre "
                              "de l'action » : indiquez le titre de l'action dont elle relève.")
            elif any(not _blank(value) for key, value in v.items() if key not in AXES):
                self.probleme(numero, "titre", "titre de l'action manquant : la ligne ne peut "
                              "pas être importée.")
            return  # a row of axes only: they are created, empty
        for valeur, key in ((titre, "titre"), (sous, "sous_titre")):
            if len(valeur) > 300:
                self.probleme(numero, key, f"titre trop long ({len(valeur)} caractères, 300 "
                              "au plus).")
                return
        nom = sous or titre

        def probleme(key, message, bloquant=True):
            self.probleme(numero, key, f"action « {nom} » : {message}", bloquant)

        v = self._priorite(v, probleme)
        data = lire_champs(v, probleme, lire_date)
        if sous:
            self._sous_action(numero, path, titre, sous, data)
        else:
            self._action(numero, path, titre, data)

    def _priorite(self, v: dict, probleme) -> dict:
        mot = PRIORITES.get(_normalise(v.get("priorite")))
        if mot is None:
            return v
        probleme("priorite", f"« {_text(v['priorite'])} » lu comme « {mot} »", bloquant=False)
        return {**v, "priorite": mot}

    def _action(self, numero: int, path: tuple, titre: str, data: dict) -> None:
        key = (path, normalise(titre))
        deja = self.actions.get(key)
        if deja is not None:
            self.probleme(numero, "titre", f"deux actions « {titre} » {_ou(path)} (lignes "
                          f"{deja.ligne} et {numero}) : donnez-leur des titres différents, ou "
                          "faites de l'une une sous-action de l'autre.")
            return
        autre = self.titres.get(key[1])
        if autre is not None:
            self.probleme(numero, "titre", f"« {titre} » figure aussi {_ou(autre.path)} (ligne "
                          f"{autre.ligne}) : une seule fiche, rangée aux deux endroits.",
                          bloquant=False)
        fiche = self.actions[key] = FicheLue(titre, path, numero, data)
        self.titres.setdefault(key[1], fiche)

    def _sous_action(self, numero: int, path: tuple, titre: str, sous: str, data: dict) -> None:
        key = (path, normalise(titre), normalise(sous))
        deja = self.sous.get(key)
        if deja is not None:
            self.probleme(numero, "sous_titre", f"la sous-action « {sous} » de « {titre} » "
                          f"figure deux fois {_ou(path)} (lignes {deja.ligne} et {numero}).")
            return
        self.sous[key] = FicheLue(sous, path, numero, data, parent_titre=titre)

    def fin(self) -> None:
        """Sous-actions without their action are refused, each named; the actions come
        first so that each sous-action finds its action already planned."""
        for (path, titre, _s), sous in self.sous.items():
            if (path, titre) not in self.actions:
                self.probleme(sous.ligne, "sous_titre", f"sous-action « {sous.titre} » : son "
                              f"action « {sous.parent_titre} » n'a pas de ligne {_ou(path)} "
                              "(une ligne avec ce « Titre de l'action » et sans sous-action).")
        self.plan.fiches = [*self.actions.values(), *self.sous.values()]


def lire_date(value) -> date:
    """An Excel date, an Excel serial number (in a number or a text cell), or a text
    JJ/MM/AAAA (« - » and « . » too) or AAAA-MM-JJ; anything ambiguous raises
    ``ValueError`` with what to write instead."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serie(value)
    text = re.sub(r"\s+\d{1,2}:\d{2}(?::\d{2})?$", "", _text(value))  # a time after it
    if re.fullmatch(r"\d{1,7}(?:[.,]0+)?", text):
        return _serie(int(re.split(r"[.,]", text)[0]))
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return _jour(text, int(iso[3]), int(iso[2]), int(iso[1]))
    parts = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{1,4}))?", text)
    if parts is None:
        raise ValueError(f"date illisible « {text} » : écrivez-la JJ/MM/AAAA.")
    jour, mois, annee = int(parts[1]), int(parts[2]), parts[3]
    if annee is None:
        raise ValueError(f"date « {text} » sans année : écrivez-la JJ/MM/AAAA.")
    if len(annee) != 4:
        raise ValueError(f"date « {text} » ambiguë (année sur {len(annee)} chiffres) : "
                         "écrivez-la JJ/MM/AAAA.")
    if mois > 12 and jour <= 12:
        raise ValueError(f"date « {text} » impossible en JJ/MM/AAAA (mois {mois}) : est-elle "
                         "écrite mois avant jour ? Écrivez-la JJ/MM/AAAA.")
    return _jour(text, jour, mois, int(annee))


def _jour(text: str, jour: int, mois: int, annee: int) -> date:
    try:
        return date(annee, mois, jour)
    except ValueError:
        raise ValueError(f"date impossible « {text} » (ce jour n'existe pas).") from None


def _serie(number) -> date:
    """An Excel serial number; a bare year (1900–2200) is not one, nor a far-off date."""
    if not math.isfinite(number):
        raise ValueError(f"« {number} » n'est pas une date.")
    if 1900 <= number <= 2200:
        raise ValueError(f"« {int(number)} » : une année seule n'est pas une date, "
                         "écrivez-la JJ/MM/AAAA.")
    if not 1 <= number <= SERIE_MAX:
        raise ValueError(f"« {number} » n'est pas une date (ni JJ/MM/AAAA ni un numéro de "
                         "date Excel).")
    jour = from_excel(number).date()
    if not 1950 <= jour.year <= 2150:
        raise ValueError(f"« {_text(number)} » donnerait le {jour:%d/%m/%Y} : est-ce bien une "
                         "date ? Écrivez-la JJ/MM/AAAA.")
    return jour
