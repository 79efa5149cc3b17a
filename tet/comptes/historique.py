"""The history as a person would say it: audit rows grouped into one entry per save (``lot``),
field labels, values as their French labels, foreign keys as names, dates in Europe/Paris.

Pure presentation over rows already read: names are resolved in one query per kind of row
for the whole page (``Noms``), never per entry.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import String, cast, literal, null, select, union_all

from tet import formats
from tet.formats import VIDE, date_longue
from tet.comptes.historique_libelles import MASQUES, OUI_NON, choix_de, cible_de, libelle
from tet.comptes.journal import ACTIONS_LABELS, OBJECT_LABELS
from tet.extensions import db

TEXTE_MAX = 160
OBJETS_MAX = 8  # objects shown per entry (the rest counted)
DE = {"FicheAction": "de la fiche", "Plan": "du plan", "Axe": "de l'axe",
      "Collectivite": "de la collectivité", "User": "du compte", "Membership": "de l'accès",
      "Opsn": "de l'OPSN", "Rattachement": "du rattachement", "Tag": "de l'étiquette",
      "NoteSuivi": "de la note de suivi", "Document": "du document",
      "IndicateurDefinition": "de l'indicateur", "IndicateurValeur": "de la valeur",
      "Reponse": "de la réponse", "DemandeAdhesion": "de la demande d'accès"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


# --- dates (the app's French formatter) --------------------------------------------------

def horodatage(value: datetime) -> str:
    """« 3 mars 2026 à 14 h 05 » in Europe/Paris."""
    local = formats.a_paris(value)
    return f"{date_longue(local)} à {local.hour} h {local.minute:02d}"


# --- names of the rows the values point to ----------------------------------------------------

def _modeles() -> dict:
    """Model name → (id column, columns naming the row)."""
    from tet.comptes.models import Collectivite, Opsn, User
    from tet.indicateurs.models import IndicateurDefinition
    from tet.maturite.models import Question, Recommandation
    from tet.plans.models import Axe, FicheAction, Plan
    from tet.projets.models import AppelAProjets, Dossier, Organisation

    return {"Collectivite": (Collectivite.id, Collectivite.nom), "Opsn": (Opsn.id, Opsn.nom),
            "User": (User.id, User.prenom, User.nom, User.email),
            "Plan": (Plan.id, Plan.nom), "Axe": (Axe.id, Axe.nom),
            "FicheAction": (FicheAction.id, FicheAction.titre),
            "IndicateurDefinition": (IndicateurDefinition.id, IndicateurDefinition.nom),
            "Question": (Question.id, Question.code, Question.texte),
            "Recommandation": (Recommandation.id, Recommandation.titre),
            "AppelAProjets": (AppelAProjets.id, AppelAProjets.titre),
            "Dossier": (Dossier.id, Dossier.titre),
            "Organisation": (Organisation.id, Organisation.nom)}


class Noms:
    """Ids to name, gathered first, then read in one query per model."""

    def __init__(self):
        self.voulus: dict[str, set[int]] = defaultdict(set)
        self.noms: dict[str, dict[int, str]] = {}
        self.personnes: dict[int, tuple[str, str]] = {}
        self.options: dict[int, dict[str, str]] = {}  # réponse id → {code: label}
        self.questions: dict[int, str] = {}  # réponse id → its question

    def veut(self, modele: str | None, valeur) -> None:
        if modele and isinstance(valeur, int) and not isinstance(valeur, bool):
            self.voulus[modele].add(valeur)

    def lire(self, reponses: set[int] = frozenset()) -> None:
        """Every name wanted, and the options and question of these maturity answers, in
        ONE query (a UNION ALL of a select per kind, five text columns each)."""
        from tet.maturite.models import Question, Reponse, ReponseOption

        modeles = _modeles()
        parts = []
        for modele, ids in sorted(self.voulus.items()):
            cols = [cast(c, String) for c in modeles[modele][1:]]
            cols += [null()] * (4 - len(cols))
            parts.append(select(literal(modele).label("k"), modeles[modele][0].label("i"),
                                *cols).where(modeles[modele][0].in_(sorted(ids))))
        if reponses:
            parts.append(select(literal("Reponse").label("k"), Reponse.id, Question.code,
                                cast(Question.texte, String), ReponseOption.code,
                                ReponseOption.libelle)
                         .join(Question, Question.id == Reponse.question_id)
                         .outerjoin(ReponseOption, ReponseOption.question_id == Question.id)
                         .where(Reponse.id.in_(sorted(reponses))))
        if not parts:
            return
        for kind, ident, a, b, c, d in db.session.execute(union_all(*parts)):
            if kind == "User":  # prénom, nom, e-mail
                self.personnes[ident] = (f"{a or ''} {b or ''}".strip() or c, c)
                self.noms.setdefault(kind, {})[ident] = self.personnes[ident][0]
            elif kind == "Question":  # code, texte
                self.noms.setdefault(kind, {})[ident] = f"{a} · {b}"
            elif kind == "Reponse":  # question code, texte, option code, libellé
                self.questions[ident] = f"{a} · {_court(b, 90)}"
                if c is not None:
                    self.options.setdefault(ident, {})[c] = d
            else:
                self.noms.setdefault(kind, {})[ident] = a

    def nom(self, modele: str, valeur) -> str:
        found = self.noms.get(modele, {}).get(valeur)
        return found if found is not None else f"n° {valeur} (supprimé)"


# --- one value, one change --------------------------------------------------------------------

@dataclass
class Changement:
    libelle: str
    avant: str = VIDE
    apres: str = VIDE
    ajouts: list[str] = field(default_factory=list)  # lists: what was added / removed
    retraits: list[str] = field(default_factory=list)

    @property
    def est_liste(self) -> bool:
        return bool(self.ajouts or self.retraits)


def _court(texte: str, n: int = TEXTE_MAX) -> str:
    texte = " ".join(str(texte).split())
    return texte if len(texte) <= n else texte[:n - 1] + "…"


def valeur(object_type: str, champ: str, value, noms: Noms, object_id=None) -> str:
    """A stored value as a person would read it."""
    if value is None or value == "" or value == []:
        return VIDE
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if champ == "option_code" and object_type == "Reponse":
        return noms.options.get(object_id, {}).get(value) or OUI_NON.get(value, value)
    choix = choix_de(object_type, champ)
    if isinstance(value, list):
        return ", ".join(valeur(object_type, champ, v, noms) for v in value) or VIDE
    if choix is not None and isinstance(value, str):
        return choix.get(value, value)
    cible = cible_de(object_type, champ)
    if cible is not None and isinstance(value, int):
        return noms.nom(cible, value)
    if isinstance(value, str):
        if _DATE.match(value):
            return date_longue(date.fromisoformat(value))
        if _DECIMAL.match(value):  # a Decimal as stored: « 212,4 »
            return value.replace(".", ",")
        if _DATETIME.match(value):
            try:
                return horodatage(datetime.fromisoformat(value))
            except ValueError:
                return value
        return _court(value)
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    if isinstance(value, int) and champ not in ("annee", "annee_reference"):
        return f"{value:,}".replace(",", "\u202f")
    return _court(str(value))


def changements(object_type: str, changes: dict | None, noms: Noms,
                object_id=None) -> list[Changement]:
    """The audit row's changes, bookkeeping left out, in French."""
    result = []
    for champ, pair in (changes or {}).items():
        if champ in MASQUES or not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        old, new = pair
        lib = libelle(object_type, champ)
        if champ == "password_hash":
            result.append(Changement(lib, apres="modifié"))
        elif isinstance(old, list) and isinstance(new, list) and champ not in ("cibles",):
            # a many-to-many: the names removed, the names added
            result.append(Changement(lib, ajouts=[_court(str(v)) for v in new] or [],
                                     retraits=[_court(str(v)) for v in old]))
        else:
            result.append(Changement(lib, valeur(object_type, champ, old, noms, object_id),
                                     valeur(object_type, champ, new, noms, object_id)))
    return result


def _element(cle: str, item) -> str:
    """One element of a fiche state's list (``tet.plans.versions_fiche``)."""
    if cle == "tags":
        kind, nom = item
        sorte = choix_de("Tag", "kind").get(kind, kind)
        return f"{nom} ({sorte.lower()})"
    if cle == "financeurs":
        nom, montant = item
        return nom if montant is None else f"{nom} ({_euros(montant)})"
    if cle == "budgets":
        nature, unite, annee, prevu, reel = item
        nature = choix_de("*", "nature").get(nature, nature)
        quand = f" {annee}" if annee else ""
        unite = "ETP" if unite == "etp" else "€ HT"
        return (f"{nature}{quand} : prévu {_nombre(prevu)} {unite}, "
                f"réel {_nombre(reel)} {unite}")
    return _court(str(item[-1]), 120)


def _nombre(value) -> str:
    return VIDE if value in (None, "") else formats.nombre(value)


def _euros(value) -> str:
    return VIDE if value in (None, "") else formats.montant(value)


def changements_fiche(changes: dict | None, noms: Noms) -> list[Changement]:
    """The changes of a fiche version (fields and links), in French."""
    from tet.plans.versions_fiche import CHAMPS

    result = []
    for cle, (old, new) in (changes or {}).items():
        lib = libelle("FicheAction", cle)
        if cle in CHAMPS:
            if cle == "parent_id":
                old, new = (v[1] if isinstance(v, list) else v for v in (old, new))
            if cle == "cibles":
                old, new = old or None, new or None
            result.append(Changement(lib, valeur("FicheAction", cle, old, noms),
                                     valeur("FicheAction", cle, new, noms)))
            continue
        old = [_element(cle, i) for i in old or []]
        new = [_element(cle, i) for i in new or []]
        result.append(Changement(lib, ajouts=[v for v in new if v not in old],
                                 retraits=[v for v in old if v not in new]))
    return result


# --- entries ----------------------------------------------------------------------------------

@dataclass
class Objet:
    action: str
    object_type: str
    object_id: int | None
    nom: str
    changements: list[Changement] = field(default_factory=list)
    row: object = field(default=None, repr=False)  # the AuditLog row
    version: object = field(default=None, repr=False)  # the FicheVersion of the save

    @property
    def type_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)

    @property
    def action_label(self) -> str:
        return ACTIONS_LABELS.get(self.action, self.action)


@dataclass
class Entree:
    cle: str
    at: datetime
    user_id: int | None
    user_email: str | None
    context: str | None
    objets: list[Objet] = field(default_factory=list)
    total: int = 0  # rows of the save (more than shown when the save wrote many)
    par_nom: str = ""
    version_id: int | None = None  # the fiche version this entry produced (restorable)

    @property
    def quand(self) -> str:
        return horodatage(self.at)

    @property
    def par(self) -> str:
        """Who: the person's name; else the command; else « système »."""
        if self.user_id is not None or self.user_email:
            return self.par_nom or self.user_email
        return self.context or "système"

    @property
    def par_detail(self) -> str | None:
        """The person's e-mail under the name (None when it is the name itself)."""
        if self.user_email and self.par_nom and self.par_nom != self.user_email:
            return self.user_email
        return None

    @property
    def autres(self) -> int:
        return max(0, self.total - len(self.objets))

    @property
    def titre(self) -> str:
        if self.context and self.context.startswith("Restauration"):
            return self.context
        if not self.objets:
            return self.context or "Modification"
        main = next((o for o in self.objets if o.object_type == "FicheAction"), self.objets[0])
        if main.action == "import" and self.context:
            return self.context[:1].upper() + self.context[1:]
        de = DE.get(main.object_type)
        objet = f"{de} « {main.nom} »" if de else f"· {main.type_label} « {main.nom} »"
        # the étiquettes a save creates on the fly are part of it, not « other changes »
        autres = self.total - 1 - sum(1 for o in self.objets if o.object_type == "Tag")
        if autres <= 0:
            return f"{main.action_label} {objet}"
        pluriel = "s" if autres > 1 else ""
        return f"{main.action_label} {objet} et {autres} autre{pluriel} modification{pluriel}"


def cle_de(row) -> str:
    """The save a row belongs to: its lot, or the row itself (rows written before lots)."""
    return row.lot or f"r{row.id}"


def entrees(rows, versions=(), totaux: dict[str, int] | None = None,
            objets_max: int = OBJETS_MAX) -> list[Entree]:
    """One entry per save, latest first. ``rows``: AuditLog rows; ``versions``: fiche
    versions of the same saves (their changes replace the fiche's row: fields, links and
    places together); ``totaux``: rows per save when more were written than read."""
    par_cle: dict[str, Entree] = {}
    noms = Noms()
    reponses: set[int] = set()
    for row in sorted(rows, key=lambda r: r.id):  # in the order written
        entree = par_cle.get(cle_de(row))
        if entree is None:
            entree = par_cle[cle_de(row)] = Entree(cle_de(row), row.at, row.user_id,
                                                     row.user_email, row.context)
        entree.at = max(entree.at, row.at, key=_utc)
        entree.total += 1
        if len(entree.objets) >= objets_max:
            continue
        entree.objets.append(Objet(row.action, row.object_type, row.object_id,
                                   row.object_repr or "", row=row))
        noms.veut("User", row.user_id)
        if row.object_type == "Reponse" and row.object_id:
            reponses.add(row.object_id)
        for champ, pair in (row.changes or {}).items():
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                for v in pair:
                    noms.veut(cible_de(row.object_type, champ), v)
    for version in versions:
        cle = version.lot or f"v{version.id}"
        entree = par_cle.get(cle)
        if entree is None:
            entree = par_cle[cle] = Entree(cle, version.at, version.user_id,
                                           version.user_email, version.context)
            noms.veut("User", version.user_id)
        entree.version_id = version.id
        mine = [o for o in entree.objets if o.object_type == "FicheAction"
                and o.object_id == version.fiche_id]
        objet = mine[0] if mine else None
        for other in mine[1:]:  # the version tells the whole save of the fiche
            entree.objets.remove(other)
            entree.total -= 1
        if objet is None:
            objet = Objet("update", "FicheAction", version.fiche_id,
                          version.etat["champs"].get("titre") or "")
            entree.objets.insert(0, objet)
            entree.total += 1
        objet.version = version
    noms.lire(reponses)
    for entree in par_cle.values():
        entree.par_nom = noms.personnes.get(entree.user_id, ("", ""))[0]
        if totaux and entree.cle in totaux:
            entree.total = max(entree.total, totaux[entree.cle])
        for objet in entree.objets:
            version, row = objet.version, objet.row
            if version is not None and version.changes is not None:
                objet.changements = changements_fiche(version.changes, noms)
            elif row is not None:
                objet.changements = changements(row.object_type, row.changes, noms,
                                                row.object_id)
            if objet.object_type == "Reponse" and objet.object_id in noms.questions:
                objet.nom = noms.questions[objet.object_id]
    return sorted(par_cle.values(), key=lambda e: _utc(e.at), reverse=True)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
