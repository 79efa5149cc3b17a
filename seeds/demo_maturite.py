"""Demo answers: the CC answers all of niveau 1 (an official index), Ville d'Exemple half of
it (provisional). Deterministic, idempotent (skipped when answers exist)."""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.maturite.models import Reponse
from tet.maturite import questionnaire as maturite

PLAN = {"200099901": 1.0, "216890103": 0.5}  # share of niveau 1 answered


def load_demo_maturite() -> None:
    for siren, share in PLAN.items():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        if coll is None or db.session.scalar(select(Reponse.id).where(
                Reponse.collectivite_id == coll.id).limit(1)):
            continue
        user = db.session.scalar(select(User).join(Membership).where(
            Membership.collectivite_id == coll.id, Membership.niveau == "admin"))
        try:
            etat = maturite.load(coll)
        except maturite.MaturiteError:
            return  # no questionnaire loaded
        niveau1 = [q for q in etat.questions if q.niveau == 1]
        for i, question in enumerate(niveau1[: round(len(niveau1) * share)]):
            etat = maturite.load(coll)
            if not etat.visible(question):
                continue
            options = sorted(question.options, key=lambda o: -o.points)
            if options:  # mostly good answers, some gaps, one "je ne sais pas"
                option = options[0] if i % 3 else options[-1]
                maturite.repondre(coll, question, user, option_code=option.code)
            elif question.type == "nombre":
                maturite.repondre(coll, question, user, nombre="12")
            else:
                maturite.repondre(coll, question, user, texte="Le service informatique.")
    db.session.commit()
