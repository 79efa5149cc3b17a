"""Co-décision: the committee votes on each evaluated candidature during its meeting, the
organiser records the decision the vote gives, with its motivation.

Rules (documented here, tested in tests/projets/test_decision.py):
- a member votes pour, contre or abstention, once per candidature (it may change its vote
  until the decision), only while the meeting is open (``appel.seance_ouverte``);
- quorum: strictly more than half of the committee's members (with an account) voted, and
  the committee has at least two members — nobody decides alone;
- result: *retenu* when ``pour`` is strictly more than half of the votes cast (an abstention
  counts as cast, not as pour), otherwise *non retenu*;
- the organiser (admin / édition of the organising collectivité, support for a national
  call) records it; the result comes from the votes, not from whoever records it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tet.colonnes import utcnow
from tet.extensions import db
from tet.projets.commun import exiger, journal
from tet.projets.models import Candidature, Decision, MembreComite, Vote
from tet.projets.permissions import gere_appel, membre_du_comite
from tet.projets.transitions import TRANSITIONS, changer
from tet.formats import pluriel

CHOIX = ("pour", "contre", "abstention")


@dataclass
class Decompte:
    membres: int
    pour: int = 0
    contre: int = 0
    abstention: int = 0

    @property
    def votants(self) -> int:
        return self.pour + self.contre + self.abstention

    @property
    def quorum(self) -> bool:
        return self.membres >= 2 and 2 * self.votants > self.membres

    @property
    def resultat(self) -> str:
        return "retenu" if 2 * self.pour > self.votants else "non_retenu"


def voter(a, cand: Candidature, choix: str) -> Vote:
    membre = membre_du_comite(a, cand.appel_id)
    exiger(membre is not None, "Seuls les membres du comité de cet appel votent.")
    exiger(cand.appel.seance_ouverte, "Le vote a lieu pendant la séance du comité : elle "
           "n'est pas ouverte.")
    exiger(cand.statut == "evalue", "Seuls les dossiers évalués, pas encore décidés, se votent.")
    exiger(choix in CHOIX, "Choisissez pour, contre ou abstention.")
    vote = db.session.scalar(select(Vote).where(Vote.candidature_id == cand.id,
                                                Vote.membre_id == membre.id))
    with journal(a, f"Vote sur la candidature n°{cand.id}"):
        if vote is None:
            vote = Vote(candidature_id=cand.id, membre_id=membre.id, choix=choix)
            db.session.add(vote)
        else:
            vote.choix = choix
        db.session.flush()
    return vote


def decompte(cand: Candidature) -> Decompte:
    membres = db.session.scalar(select(func.count(MembreComite.id)).where(
        MembreComite.appel_id == cand.appel_id, MembreComite.user_id.is_not(None))) or 0
    d = Decompte(membres)
    for choix, n in db.session.execute(select(Vote.choix, func.count(Vote.id)).where(
            Vote.candidature_id == cand.id).group_by(Vote.choix)):
        setattr(d, choix, n)
    return d


def decider(a, cand: Candidature, motivation: str) -> Decision:
    """Record the committee's decision on ``cand`` (``Refus`` when not allowed / no quorum)."""
    exiger(gere_appel(a, cand.appel), "Seuls les administrateurs et éditeurs de "
           "l'organisateur enregistrent la décision du comité (un membre du comité vote, "
           "il ne décide pas seul).")
    exiger(cand.appel.seance_ouverte, "La décision se prend en séance : ouvrez d'abord la "
           "séance du comité.")
    d = decompte(cand)
    exiger(d.membres >= 2, "Le comité doit compter au moins deux membres pour décider.")
    exiger(d.quorum, f"Quorum non atteint : {pluriel(d.votants, 'vote')} pour {d.membres} membres "
           "(il en faut plus de la moitié).")
    motivation = (motivation or "").strip()
    t = TRANSITIONS["retenir" if d.resultat == "retenu" else "ne_pas_retenir"]
    changer(a, cand, t, motivation)
    with journal(a, f"Décision sur la candidature n°{cand.id}"):
        decision = Decision(candidature_id=cand.id, resultat=d.resultat, motivation=motivation,
                            quorum_atteint=True, membres=d.membres, pour=d.pour,
                            contre=d.contre, abstention=d.abstention, decidee_le=utcnow(),
                            decidee_par_id=a.user.id if a.user else None)
        db.session.add(decision)
        db.session.flush()
    return decision
