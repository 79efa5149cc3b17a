"""Indicator values and maturity answers of the load data set (see ``seeds/scale.py``).

The maturity answers respect the active questionnaire (its questions, options, parent
conditions); each collectivité gets three snapshots (a third, two thirds, all of its
answers), scored with the app's own ``maturite_score.score``, so the latest snapshot is the
index the app computes from the stored answers."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seeds.scale import NOW
from tet.extensions import db
from tet.maturite.models import Categorie, Question
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.maturite.models import Reponse, Snapshot
from tet.maturite import questionnaire as maturite, indice as maturite_indice
from tet.maturite import score as scoring

ANNEES = range(2015, 2031)


def load(ctx) -> None:
    _valeurs(ctx)
    _maturite(ctx)
    ctx["bulk"].flush()
    maturite_indice.rebuild(ctx["bulk"].conn)  # bulk inserts bypass the ORM events


def _valeurs(ctx) -> None:
    """Objectif every year 2015–2030, résultat up to 2025, for each national indicator,
    collectivité after collectivité until the national number of values is reached."""
    bulk, rng, budget = ctx["bulk"], ctx["rng"], ctx["n"]["valeurs"]
    table = IndicateurValeur.__table__
    bulk.register(table)
    definitions = list(db.session.scalars(select(IndicateurDefinition.id).where(
        IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id)))
    if not definitions:
        return
    ids = iter(bulk.ids(table, budget))
    done = 0
    for cid in [ctx["grosse"], ctx["arbre"]] + ctx["free"]:
        for definition in definitions:
            base = rng.uniform(100, 100_000)
            for annee in ANNEES:
                for type_ in ("objectif", "resultat"):
                    if done >= budget or (type_ == "resultat" and annee > 2025):
                        continue
                    trend = 1 - 0.02 * (annee - 2015) * (1.5 if type_ == "objectif" else 1)
                    bulk.add(table, {"id": next(ids), "collectivite_id": cid,
                                     "definition_id": definition, "annee": annee,
                                     "type": type_, "valeur": round(base * trend, 2),
                                     "source": "Observatoire régional", "commentaire": None,
                                     "created_at": NOW})
                    done += 1
        if done >= budget:
            return


def _maturite(ctx) -> None:
    bulk, rng = ctx["bulk"], ctx["rng"]
    version = maturite.active_version()
    if version is None:
        return
    codes = {c.id: c.code for c in db.session.scalars(select(Categorie).where(
        Categorie.version_id == version.id))}
    questions = list(db.session.scalars(select(Question).where(
        Question.version_id == version.id).order_by(Question.ordre, Question.id)
        .options(selectinload(Question.options))))
    by_id = {q.id: q for q in questions}
    qs = [maturite.to_q(q, codes[q.categorie_id], by_id) for q in questions]
    niveau1 = [(q, sq) for q, sq in zip(questions, qs) if q.niveau == 1]
    thresholds = maturite.thresholds()
    bulk.register(Reponse.__table__, Snapshot.__table__)
    count = ctx["n"]["questionnaires"]
    reponse_ids = iter(bulk.ids(Reponse.__table__, count * len(niveau1)))
    snap_ids = iter(bulk.ids(Snapshot.__table__, count * 3))
    for cid in ctx["free"][:count]:
        share = 1.0 if rng.random() < 0.55 else rng.uniform(0.2, 0.9)
        answers: dict[str, str] = {}
        order: list[str] = []
        user = ctx["users"].get(cid)
        for question, q in niveau1[: max(1, round(len(niveau1) * share))]:
            if not scoring.in_scope(q, answers, False):
                continue
            row = {"id": next(reponse_ids), "collectivite_id": cid,
                   "question_id": question.id, "option_code": None, "valeur_texte": None,
                   "valeur_nombre": None, "user_id": user, "updated_at": NOW}
            if q.points:
                best = sorted(q.points, key=lambda code: -q.points[code])
                row["option_code"] = best[0] if rng.random() < 0.6 else rng.choice(best)
                answers[q.code] = row["option_code"]
            elif question.type == "nombre":
                row["valeur_nombre"] = rng.randint(1, 500)
                answers[q.code] = maturite.ANSWERED
            else:
                row["valeur_texte"] = "Le service informatique mutualisé."
                answers[q.code] = maturite.ANSWERED
            order.append(q.code)
            bulk.add(Reponse.__table__, row)
        for step, days in ((3, 300), (3 / 2, 150), (1, 10)):
            part = {c: answers[c] for c in order[: round(len(order) / step)]}
            s = scoring.score(qs, part, False, thresholds)
            bulk.add(Snapshot.__table__, {
                "id": next(snap_ids), "collectivite_id": cid, "version_id": version.id,
                "at": NOW - timedelta(days=days), "niveau2": False, "indice": s.indice,
                "lettre": s.letter, "progression": s.progression, "officiel": s.officiel,
                "par_categorie": {code: {"indice": p.indice, "progression": p.progression}
                                  for code, p in s.categories.items()}})
