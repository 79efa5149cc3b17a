"""Import plans from a workbook (one sheet per plan): read tolerantly, report every problem
with sheet, row and column, then apply in one transaction (all or nothing)."""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from tet.plans.models import PARTICIPATION, PLAN_TYPES, PRIORITES, STATUTS
from tet.classeur import ClasseurRefuse, Limites, lignes_bornees, verifier
from tet.nombres import MONTANT_MAX, NombreInvalide, parse_nombre
from tet.plans.format import COLUMNS, TYPE_NOMS, normalise, parse_type_line

HEADER_KEYS = {}
for _header, _w, _key in COLUMNS:
    HEADER_KEYS.setdefault(normalise(_header), []).append(_key)
HEADER_KEYS[normalise("Sous-sous axe (x.x.x)")] = ["axe3"]  # TeT's spelling
HEADER_NAMES = {key: header for header, _w, key in COLUMNS}
# names that give a plan's type when a title above the header holds them, longest first
TITRES_DE_TYPE = sorted({(normalise(nom), code) for code, label in PLAN_TYPES
                         if not code.startswith("autre")
                         for nom in [label.split(" (")[0], *TYPE_NOMS.get(code, [])]},
                        key=lambda pair: -len(pair[0]))
TITLE_HEADER = normalise("Titre de l'action")
# TeT's template: « Axe (x) » in A2, « Sous-sous axe » spelt its way (ours: « Sous-sous-axe »)
TET_A2, TET_AXE3 = normalise("Axe (x)"), normalise("Sous-sous axe (x.x.x)")
TRUE = {"oui", "o", "x", "vrai", "true", "1", "yes"}
LIST_KEYS = ("instance", "structure", "partenaire", "service", "personne", "elu")




@dataclass
class Probleme:
    feuille: str
    ligne: int | None
    colonne: str | None
    message: str
    bloquant: bool = True

    def __str__(self) -> str:
        where = [f"feuille « {self.feuille} »"]
        if self.ligne:
            where.append(f"ligne {self.ligne}")
        if self.colonne:
            where.append(f"colonne « {self.colonne} »")
        return ", ".join(where) + " : " + self.message


@dataclass
class FicheLue:
    titre: str
    path: tuple[str, ...]
    ligne: int
    data: dict = field(default_factory=dict)
    parent_titre: str | None = None  # set for a sous-action


@dataclass
class PlanLu:
    feuille: str
    nom: str
    type: str | None  # None: the sheet does not say
    fiches: list[FicheLue] = field(default_factory=list)
    chemins: list[tuple[str, ...]] = field(default_factory=list)  # axes in row order, even empty
    source: str = ""  # "tet": Territoires en Transitions' own template

    @property
    def axes(self) -> list[tuple[str, ...]]:
        seen: dict[tuple[str, ...], None] = {}
        for path in [*self.chemins, *(f.path for f in self.fiches)]:
            for depth in range(1, len(path) + 1):
                seen.setdefault(path[:depth])
        return list(seen)

    def fiches_par_axe(self) -> dict[tuple[str, ...], list[FicheLue]]:
        """The fiches grouped by path, in workbook order (one pass)."""
        groups: dict[tuple[str, ...], list[FicheLue]] = {}
        for f in self.fiches:
            groups.setdefault(f.path, []).append(f)
        return groups


@dataclass
class Lecture:
    plans: list[PlanLu] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)
    ignorees: list[str] = field(default_factory=list)

    @property
    def erreurs(self) -> list[Probleme]:
        return [p for p in self.problemes if p.bloquant]

    @property
    def avertissements(self) -> list[Probleme]:
        return [p for p in self.problemes if not p.bloquant]


def read(path: str, limites: Limites | None = None, nom_fichier: str = "") -> Lecture:
    """Bounded first (``classeur.verifier``), then read once, each sheet's rows stopped hard
    at the limits. Either format: ours, or TeT's (``import_tet``), told by the header;
    ``nom_fichier`` (as uploaded) names a TeT plan whose sheet and title do not."""
    limites = limites or Limites()
    verifier(path, limites)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ClasseurRefuse("Impossible de lire ce classeur : est-ce bien un fichier .xlsx ?") \
            from None
    lecture = Lecture()
    lues = [0]
    try:
        for ws in wb.worksheets:
            _read_sheet(ws.title, lignes_bornees(ws.title, ws.iter_rows(values_only=True),
                                                 limites, lues), lecture, nom_fichier)
    except ClasseurRefuse:
        raise
    except Exception:  # a malformed part inside the archive (XML, CRC, styles…)
        raise ClasseurRefuse("Impossible de lire ce classeur : une partie est illisible.") from None
    finally:
        wb.close()
    if not lecture.plans and not lecture.problemes:
        lecture.problemes.append(Probleme("(classeur)", None, None,
                                          "Aucune feuille ne contient la colonne « Titre de "
                                          "l'action » : utilisez le modèle."))
    return lecture


def _read_sheet(title: str, rows, lecture: Lecture, nom_fichier: str = "") -> None:
    above: list = []
    header_row, columns = None, {}
    plan = None
    last_path: tuple[str, ...] = ()
    seen: dict[tuple, FicheLue] = {}
    rows = iter(rows)
    for index, row in enumerate(rows, start=1):
        if header_row is None:
            cells = [normalise(c) for c in row]
            if index == 2 and cells[:1] == [TET_A2] and TET_AXE3 in cells:
                from tet.plans import import_tet  # TeT's template: a title row, header on row 2

                import_tet.lire_feuille(title, row, above, rows, lecture, nom_fichier)
                return
            if TITLE_HEADER in cells:
                header_row = index
                columns = _map_columns(cells)
                plan = PlanLu(title, title.strip(), _plan_type(above))
                lecture.plans.append(plan)
            else:
                above.extend(c for c in row if c not in (None, ""))
                if index > 30:
                    break
            continue
        values = {key: row[col] if col < len(row) else None for key, col in columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        _read_row(plan, index, values, lecture, seen, last_path)
        path = tuple(p for p in (_text(values.get(k)) for k in ("axe1", "axe2", "axe3")) if p)
        if path:
            last_path = path
    if header_row is None:
        lecture.ignorees.append(title)


def _map_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for col, cell in enumerate(cells):
        for key in HEADER_KEYS.get(cell, []):
            if key not in columns:
                columns[key] = col
                break
    return columns


def _plan_type(cells: list) -> str | None:
    """The type stated above the header: a « Type : … » cell, else a type named in a
    title; None when the sheet does not say."""
    for cell in cells:
        code = parse_type_line(cell)
        if code is not None:
            return code
    for cell in cells:
        text = normalise(cell)
        for name, code in TITRES_DE_TYPE:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                return code
    return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read_row(plan: PlanLu, line: int, v: dict, lecture: Lecture, seen: dict,
              last_path: tuple) -> None:
    def problem(key, message, bloquant=True):
        lecture.problemes.append(Probleme(plan.feuille, line, HEADER_NAMES.get(key),
                                          message, bloquant))

    titre = _text(v.get("titre"))
    if not titre:
        problem("titre", "titre de l'action manquant : la ligne ne peut pas être importée.")
        return
    if len(titre) > 300:
        problem("titre", f"titre trop long ({len(titre)} caractères, 300 au plus).")
        return
    path = tuple(p for p in (_text(v.get(k)) for k in ("axe1", "axe2", "axe3")) if p)
    if not path and last_path:  # merged axe cells: the value is on the first row only
        path = last_path
    data = lire_champs(v, problem, _date_modele)
    sous = _text(v.get("sous_titre"))
    key = (path, normalise(titre))
    main = seen.get(key)
    if main is None:
        main = FicheLue(titre, path, line, {} if sous else data)
        seen[key] = main
        plan.fiches.append(main)
    elif not sous:
        if main.data and data:
            problem("titre", f"« {titre} » figure déjà sous cet axe (ligne {main.ligne}) : "
                             "les deux lignes sont fusionnées.", bloquant=False)
        main.data = {**main.data, **data}
    if sous:
        if len(sous) > 300:
            problem("sous_titre", "titre de sous-action trop long (300 caractères au plus).")
            return
        plan.fiches.append(FicheLue(sous, path, line, data, parent_titre=titre))


def lire_champs(v: dict, problem, lire_date) -> dict:
    """A row's fields (everything but the titles and axes), checked; ``problem(key,
    message, bloquant=True)`` reports, ``lire_date(value)`` gives a date or raises
    ``ValueError`` with the French message. Shared by both formats."""
    data = {}
    for key, field_name in (("description", "description"), ("objectifs", "objectifs"),
                            ("ressources", "ressources"), ("financements", "financements")):
        if not _blank(v.get(key)):
            data[field_name] = str(v[key]).strip()
    for key in LIST_KEYS:
        if not _blank(v.get(key)):
            data[key] = _text(v[key])
    for key, choices in (("statut", STATUTS), ("priorite", PRIORITES),
                         ("participation", PARTICIPATION)):
        if not _blank(v.get(key)):
            code = _choice(v[key], choices, key, problem)
            if code:
                data[key] = code
    for key in ("date_debut", "date_fin"):
        if not _blank(v.get(key)):
            try:
                data[key] = lire_date(v[key])
            except ValueError as exc:
                problem(key, str(exc))
    if data.get("date_debut") and data.get("date_fin") and data["date_fin"] < data["date_debut"]:
        problem("date_fin", "la date de fin précède la date de début.")
    if not _blank(v.get("continue")):
        data["amelioration_continue"] = _normalise(v["continue"]) in TRUE
    financeurs = []
    for n in (1, 2, 3):
        nom = _text(v.get(f"financeur{n}"))
        montant = _amount(v.get(f"montant{n}"), f"montant{n}", problem)
        if nom:
            financeurs.append((nom, montant))
        elif montant is not None:
            problem(f"montant{n}", "montant sans financeur.")
    if financeurs:
        data["financeurs"] = financeurs
    budget = _amount(v.get("budget"), "budget", problem)
    if budget is not None:
        data["budget"] = budget
    if not _blank(v.get("indicateurs")):
        data["indicateurs"] = [i.strip() for i in _text(v["indicateurs"]).split(",") if i.strip()]
    return data


_normalise = functools.lru_cache(maxsize=4096, typed=True)(normalise)  # cells repeat a lot
_LABELS: dict[int, dict[str, str]] = {}


def _labels(choices) -> dict[str, str]:
    """normalised label or code → code, built once per list of choices."""
    labels = _LABELS.get(id(choices))
    if labels is None:
        labels = {normalise(label): code for code, label in choices}
        labels.update({normalise(code.replace("_", " ")): code for code, _ in choices})
        _LABELS[id(choices)] = labels
    return labels


def _choice(value, choices, key, problem) -> str | None:
    text = _normalise(value)
    labels = _labels(choices)
    if text in labels:
        return labels[text]
    close = difflib.get_close_matches(text, list(labels), n=3, cutoff=0.75)
    names = ", ".join(label for _c, label in choices)
    if len({labels[c] for c in close}) == 1:
        code = labels[close[0]]
        problem(key, f"« {_text(value)} » lu comme « {dict(choices)[code]} ».", bloquant=False)
        return code
    if close:
        problem(key, f"« {_text(value)} » est ambigu : "
                     + " ou ".join(f"« {dict(choices)[labels[c]]} »" for c in close) + " ?")
    else:
        nearest = difflib.get_close_matches(text, list(labels), n=1, cutoff=0.0)
        hint = f" (le plus proche : « {dict(choices)[labels[nearest[0]]]} »)" if nearest else ""
        problem(key, f"valeur inconnue « {_text(value)} »{hint}. Valeurs possibles : {names}.")
    return None


def _date_modele(value) -> date:
    """Our template's dates: Excel dates or text (JJ/MM/AAAA and a few close forms)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date invalide « {text} » (attendu JJ/MM/AAAA).")


def _amount(value, key, problem) -> Decimal | None:
    if _blank(value):
        return None
    text = value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) \
        else _text(value).replace("€", "").replace("HT", "")
    try:
        amount = parse_nombre(text, MONTANT_MAX)
    except NombreInvalide as exc:
        problem(key, str(exc))
        return None
    if amount is not None and amount < 0:
        problem(key, f"montant négatif ({amount}) : il doit être positif ou nul.")
        return None
    return amount
