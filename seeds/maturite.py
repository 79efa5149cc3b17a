"""Load a versioned maturity questionnaire from JSON (idempotent per version number)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, update

from tet.extensions import db
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
SHIPPED = (DEFAULT, FOLDER / "v2")  # in order; the last one is the active version


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
    """Every shipped version, the last one active."""
    version = None
    for path in SHIPPED:
        version = load_questionnaire(path) or version
    return version


def load_questionnaire(path: Path = DEFAULT, activate: bool = True) -> QuestionnaireVersion | None:
    if not path.exists():
        return None
    data = read(path)
    version = db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.numero == data["version"]))
    if version is None:
        version = QuestionnaireVersion(numero=data["version"], note=data.get("note"))
        db.session.add(version)
        db.session.flush()
        _fill(version, data)
    if activate and not version.active:
        db.session.execute(update(QuestionnaireVersion).values(active=False))
        version.active = True
    db.session.commit()
    return version


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
            corps=r["corps"], detail=r.get("detail"), ressources=r.get("ressources", []),
            indicateurs_succes=r.get("indicateurs_succes", []), niveau=r["niveau"],
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
