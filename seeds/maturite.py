"""Load a versioned maturity questionnaire from JSON.

A shipped version (``SHIPPED``) is found again by its stable reference, never by its number:
the number its file declares may already be taken by a version made in the back-office
editor, and then it gets the next free one. Loading is idempotent; the last shipped version
is activated when it is created (or when no version is active), never over a newer one."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from tet.extensions import db
from tet.maturite.versions import activer, numero_libre
from tet.maturite.models import (
    Categorie,
    Definition,
    Question,
    QuestionnaireVersion,
    Recommandation,
    ReponseOption,
    Theme,
)

FOLDER = Path(__file__).with_name("maturite")
DEFAULT = FOLDER / "questionnaire-v1.json"
# (stable reference, content) in order; the last one is the active version
SHIPPED = (("questionnaire-v1", DEFAULT), ("questionnaire-v2", FOLDER / "v2"))


def read(path: Path) -> dict:
    """One version's content: a single JSON file, or a folder holding ``questionnaire.json``
    (version, note, categories, glossary) and one file per category (its questions, its
    recommendations and the glossary terms it adds)."""
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    data = json.loads((path / "questionnaire.json").read_text(encoding="utf-8"))
    data.setdefault("glossaire", [])
    data["questions"], data["recommandations"] = [], []
    for categorie in data["categories"]:
        part = json.loads((path / f"{categorie['code']}.json").read_text(encoding="utf-8"))
        for key in ("questions", "recommandations", "glossaire"):
            data[key].extend(part.get(key, []))
    return data


def load_shipped() -> QuestionnaireVersion | None:
    """Every shipped version; the last one becomes active when it is new (or when none is):
    a later ``seed`` leaves active a version made since in the back-office."""
    version, created = None, False
    for i, (reference, path) in enumerate(SHIPPED):
        last = i == len(SHIPPED) - 1
        existing = _by_reference(reference)
        loaded = load_questionnaire(path, activate=False, reference=reference)
        if loaded is None:
            continue
        version, created = loaded, last and existing is None
    if version is not None and (created or not db.session.scalar(
            select(func.count()).select_from(QuestionnaireVersion)
            .where(QuestionnaireVersion.active.is_(True)))):
        activer(version)
        db.session.commit()
    return version


def load_questionnaire(path: Path = DEFAULT, activate: bool = True,
                       reference: str | None = None) -> QuestionnaireVersion | None:
    """One version from ``path``. With a ``reference``, found again by it (else created,
    under the number the file declares if free, else the next one); without, by number."""
    if not path.exists():
        return None
    data = read(path)
    if reference is not None:
        version = _by_reference(reference)
    else:
        version = db.session.scalar(select(QuestionnaireVersion).where(
            QuestionnaireVersion.numero == data["version"]))
    if version is None:
        numero = data["version"]
        if db.session.scalar(select(QuestionnaireVersion.id).where(
                QuestionnaireVersion.numero == numero)) is not None:
            numero = numero_libre()
        version = QuestionnaireVersion(numero=numero, note=data.get("note"),
                                       reference=reference)
        db.session.add(version)
        db.session.flush()
        _fill(version, data)
    if activate and not version.active:
        activer(version)
    db.session.commit()
    return version


def _by_reference(reference: str) -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.reference == reference))


def _fill(version: QuestionnaireVersion, data: dict) -> None:
    categories, themes = {}, {}
    for i, c in enumerate(data["categories"]):
        cat = Categorie(version_id=version.id, code=c["code"], nom=c["nom"], ordre=i,
                        niveau2_only=c.get("niveau2_only", False),
                        themes=[Theme(code=t["code"], nom=t["nom"], ordre=j)
                                for j, t in enumerate(c.get("themes", []))])
        db.session.add(cat)
        categories[c["code"]] = cat
    db.session.flush()
    for cat in categories.values():
        for t in cat.themes:
            themes[(cat.code, t.code)] = t
    glossary = {g["code"]: Definition(version_id=version.id, code=g["code"], terme=g["terme"],
                                      definition=g["definition"])
                for g in data.get("glossaire", [])}
    db.session.add_all(glossary.values())
    questions_by_code = {q["code"]: q for q in data["questions"]}
    recos = {}
    for r in data.get("recommandations", []):
        categorie = next((q["categorie"] for q in data["questions"]
                          if q.get("recommandation") == r["code"]), None)
        recos[r["code"]] = Recommandation(
            version_id=version.id, code=r["code"], categorie_code=categorie, titre=r["titre"],
            corps=r["corps"], detail=r.get("detail"), pourquoi=r.get("pourquoi"),
            etapes=r.get("etapes") or [], effort=r.get("effort"), cout=r.get("cout"),
            acteurs=r.get("acteurs") or [], ressources=r.get("ressources") or [],
            indicateurs_succes=r.get("indicateurs_succes") or [], niveau=r["niveau"],
            niveau_questionnaire=r.get("niveau_questionnaire", 1))
    db.session.add_all(recos.values())
    db.session.flush()
    created = {}
    for q in data["questions"]:
        question = Question(
            version_id=version.id, code=q["code"], niveau=q["niveau"],
            categorie_id=categories[q["categorie"]].id,
            theme_id=(themes.get((q["categorie"], q.get("theme"))) or
                      _first_theme(categories[q["categorie"]])).id
            if categories[q["categorie"]].themes else None,
            ordre=q.get("ordre", 0), texte=q["texte"], aide=q.get("aide"),
            fondements=q.get("fondements") or [],
            priorite=q["priorite"], type=q["type"],
            recommandation_id=recos[q["recommandation"]].id if q.get("recommandation") else None,
            options=[ReponseOption(code=o["code"], libelle=o["libelle"], points=o["points"],
                                   ordre=i) for i, o in enumerate(q.get("reponses", []))],
            definitions=[glossary[c] for c in q.get("definitions", []) if c in glossary])
        db.session.add(question)
        created[q["code"]] = question
    db.session.flush()
    for code, q in questions_by_code.items():
        if q.get("parent"):
            created[code].parent_id = created[q["parent"]["question"]].id
            created[code].parent_reponse = q["parent"]["reponse"]


def _first_theme(categorie: Categorie) -> Theme:
    return categorie.themes[0]
