"""Demo maturity data (``flask seed --demo``), deterministic and idempotent (a collectivité
that has answers is left alone):

- the CC du Val Démo answers the oldest version from autumn 2024 (partial, then official
  with a D), improves to a C in 2025 while following its recommendations (planifiée → en
  cours → réalisée, one through a fiche action), gets niveau 2 from the OPSN and answers part
  of it, then moves to the active version (``tet.maturite.passage``) and answers some of what
  the move asks again;
- Ville d'Exemple answers half of niveau 1 (provisional index);
- comparable demo collectivités (``demo_accounts.json``, « comparables ») answer niveau 1 with
  varied care: their official indices publish the CC's benchmark groups.

The services record the answers, snapshots and follow-up; past dates are given to them
(``at``) or written on the rows they made, and the journal entries of each step get its
date."""
from __future__ import annotations

import zlib
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select, update

from tet.extensions import db
from tet.comptes.audit import acting_as
from tet.comptes.demandes import Rattachement
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, User
from tet.maturite.models import QuestionnaireVersion, Reponse, Snapshot, SuiviRecommandation
from tet.plans.models import FicheAction, Plan
from tet.maturite import fiches as maturite_fiches
from tet.maturite import indice, passage
from tet.maturite import questionnaire as maturite

CC, VILLE = "200099901", "216890103"
# comparable collectivités: SIREN → (share of niveau 1 answered well, date of the answers)
COMPARABLES = {
    "200099919": (48, "2025-03-18"), "200099927": (63, "2025-06-24"),
    "200099935": (37, "2025-11-05"), "200099943": (71, "2026-01-27"),
    "200099950": (55, "2026-03-10"), "200099968": (82, "2026-05-19"),
    "216790303": (44, "2025-09-30"), "216790402": (59, "2026-02-03"),
    "216790501": (67, "2026-07-07"),
}


def _le(jour: str, heure: int = 10) -> datetime:
    return datetime.fromisoformat(jour).replace(hour=heure, tzinfo=timezone.utc)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _coll(siren: str) -> Collectivite | None:
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))


@contextmanager
def _date(when: datetime, user: User | None, context: str | None = None):
    """The changes made inside: one journal entry (or the services' own), by ``user``,
    dated ``when``."""
    before = db.session.scalar(select(func.max(AuditLog.id))) or 0
    with acting_as(user, context=context):
        yield
        db.session.flush()
    db.session.execute(update(AuditLog).where(AuditLog.id > before).values(at=when))


def _choix(question, soin: int, graine: str) -> dict:
    """A deterministic answer: the best one for about ``soin`` % of the questions."""
    tirage = zlib.crc32(f"{graine}:{question.code}".encode()) % 100
    if question.type == "nombre":
        return {"nombre": str(4 + tirage % 37)}
    if question.type == "texte":
        return {"texte": "Le service informatique, avec le référent numérique responsable."}
    options = sorted(question.options, key=lambda o: (-o.points, o.code == "non_concerne",
                                                      o.ordre))
    if tirage < soin or len(options) < 2:
        return {"option_code": options[0].code}
    manques = [o for o in options if o.points < options[0].points]
    connus = [o for o in manques if o.code != "nsp"] or manques
    return {"option_code": (connus if tirage % 6 else manques)[-1].code}


def _seance(coll, user, when, version, soin: int, part=slice(None), niveau: int = 1,
            only=None) -> int:
    """Answer (or improve) a part of the visible questions of ``niveau`` in one sitting,
    then append one snapshot. Returns the number of answers written."""
    etat = maturite.load(coll, version)
    answers = maturite.answers_map(etat.questions, etat.reponses)
    codes = {q.id: q.code for q in etat.questions}
    todo = [q for q in etat.questions if q.niveau == niveau and (only is None or q.code in only)]
    n = 0
    with _date(when, user):
        for q in todo[part]:
            if q.parent_id and answers.get(codes.get(q.parent_id)) != q.parent_reponse:
                continue
            wanted = _choix(q, soin, coll.siren)
            current = etat.reponses.get(q.id)
            if current is not None and (current.option_code == wanted.get("option_code")
                                        or q.type in ("texte", "nombre")):
                continue
            maturite.repondre(coll, q, user, at=when + timedelta(minutes=2 * n),
                              historiser=False, **wanted)
            answers[q.code] = wanted.get("option_code", maturite.ANSWERED)
            n += 1
        if n:
            maturite.snapshot(coll, at=when + timedelta(minutes=2 * n + 1), version=version)
    return n


def _suivre(coll, user, when, recos, statut: str) -> None:
    with _date(when, user):
        for reco in recos:
            suivi = maturite.set_statut(coll, reco, statut, user)
            suivi.updated_at = when


def _a_suivre(cc: Collectivite, v1: QuestionnaireVersion) -> tuple[list, list, list]:
    """The recommendations the CC follows (three, one through a fiche, one planned later):
    those whose gap remains to the end, so that its plan still lists them."""
    raised = sorted(((r, qs) for r, _s, qs in maturite.recommandations(cc, maturite.load(cc, v1))
                     if r.version_id == v1.id), key=lambda t: t[0].id)
    reste = [r for r, qs in raised if qs and all(
        _choix(q, 72, cc.siren) != _choix(q, 100, cc.siren) for q in qs)]
    ordre = reste + [r for r, _qs in raised if r not in reste]
    return ordre[:3], ordre[3:4] or ordre[-1:], ordre[4:5]


def _fiche(cc, admin, recos) -> FicheAction | None:
    """A recommendation turned into a fiche action of the SNR plan in November 2024."""
    if not recos:
        return None
    when = _le("2024-11-05", 11)
    had_plan = db.session.scalar(select(Plan.id).where(
        Plan.collectivite_id == cc.id, Plan.type == "snr", Plan.deleted_at.is_(None)))
    with _date(when, admin):
        fiche = maturite_fiches.to_fiches(cc, recos, admin)[0]
        fiche.created_at, fiche.date_debut, fiche.date_fin = (
            when, date(2024, 12, 1), date(2026, 12, 31))
        suivi = db.session.scalar(select(SuiviRecommandation).where(
            SuiviRecommandation.fiche_id == fiche.id))
        suivi.updated_at, suivi.updated_by_id = when, admin.id
        if had_plan is None:
            db.session.scalar(select(Plan).where(Plan.collectivite_id == cc.id,
                                                 Plan.type == "snr")).created_at = when
    return fiche


def _histoire_cc(cc: Collectivite, v1: QuestionnaireVersion,
                 cible: QuestionnaireVersion | None) -> None:
    cc.niveau2_actif = False  # the OPSN switches it on in 2025
    admin, edition = _user("admin.cc@tet.test"), _user("edition.cc@tet.test")
    opsn = _user("opsn.admin@tet.test")
    n1 = sum(1 for q in maturite.load(cc, v1).questions if q.niveau == 1)
    _seance(cc, admin, _le("2024-10-08", 9), v1, 42, slice(0, n1 // 2))
    _seance(cc, edition, _le("2024-10-22", 14), v1, 42)  # official: every question answered
    suivies, fiche_reco, plus_tard = _a_suivre(cc, v1)
    _suivre(cc, admin, _le("2024-11-05"), suivies, "planifiee")
    fiche = _fiche(cc, admin, fiche_reco)
    _suivre(cc, edition, _le("2025-02-11"), suivies[:2], "en_cours")
    _suivre(cc, admin, _le("2025-02-11", 16), plus_tard, "planifiee")
    _seance(cc, edition, _le("2025-02-11", 15), v1, 52)
    if fiche is not None:
        with _date(_le("2025-03-04"), edition):
            fiche.statut, fiche.updated_at, fiche.updated_by_id = (
                "en_cours", _le("2025-03-04"), edition.id)
            db.session.flush()
    _seance(cc, admin, _le("2025-05-20"), v1, 64)
    _suivre(cc, admin, _le("2025-05-20", 11), suivies[:1], "realisee")
    ratt = db.session.scalar(select(Rattachement).where(Rattachement.collectivite_id == cc.id,
                                                        Rattachement.statut == "acceptee"))
    if ratt is not None:
        ratt.created_at, ratt.decide_le, ratt.decide_par_id = (
            _le("2025-06-02"), _le("2025-06-05"), opsn.id if opsn else None)
    with _date(_le("2025-09-16"), opsn):
        maturite.set_niveau2(cc, True, opsn)
        db.session.scalar(select(Snapshot).where(Snapshot.collectivite_id == cc.id)
                          .order_by(Snapshot.id.desc()).limit(1)).at = _le("2025-09-16")
    n2 = sum(1 for q in maturite.load(cc, v1).questions if q.niveau == 2)
    _seance(cc, edition, _le("2025-10-07", 14), v1, 60, slice(0, n2 // 3), niveau=2)
    _seance(cc, edition, _le("2025-12-02", 9), v1, 60, slice(n2 // 3, 2 * n2 // 3), niveau=2)
    _suivre(cc, admin, _le("2026-01-13"), suivies[1:2], "realisee")
    _suivre(cc, admin, _le("2026-01-13"), suivies[2:3], "en_cours")
    if cible is not None and cible.numero > v1.numero:
        _passage_cc(cc, admin, edition, cible)
    indice.rebuild(db.session.connection(), cc.id)  # the dates written above


def _passage_cc(cc, admin, edition, cible) -> None:
    """The move a few months ago, then some of what it asked again."""
    with _date(_le("2026-06-09"), admin):
        passage.passer(cc, admin, at=_le("2026-06-09"))
    a_completer = _a_completer(cc, cible)  # niveau 1: what changed, and a few improvements
    _seance(cc, edition, _le("2026-09-15", 13), cible, 70)
    _seance(cc, admin, _le("2026-10-20"), cible, 70, slice(0, 12), niveau=2, only=a_completer)


def _a_completer(cc, version) -> set[str]:
    """Codes of the questions of ``version`` without an answer."""
    etat = maturite.load(cc, version)
    return {q.code for q in etat.questions if q.id not in etat.reponses}


def _admin_of(coll: Collectivite) -> User | None:
    return db.session.scalar(select(User).join(Membership).where(
        Membership.collectivite_id == coll.id, Membership.niveau == "admin").order_by(User.id))


def _answered(coll: Collectivite) -> bool:
    return db.session.scalar(select(Reponse.id).where(
        Reponse.collectivite_id == coll.id).limit(1)) is not None


def load_demo_maturite() -> dict:
    """The demo answers and history; returns what ``load_comparables`` created (the
    comparable collectivités and their admins), for the seed's summary."""
    from seeds.demo import load_comparables

    versions = list(db.session.scalars(select(QuestionnaireVersion)
                                       .order_by(QuestionnaireVersion.numero)))
    if not versions:
        return {}  # no questionnaire loaded
    active = maturite.active_version()
    cc = _coll(CC)
    if cc is not None and not _answered(cc) and _user("admin.cc@tet.test"):
        _histoire_cc(cc, versions[0], active)
    ville = _coll(VILLE)
    if ville is not None and not _answered(ville):
        n1 = sum(1 for q in maturite.load(ville).questions if q.niveau == 1)
        _seance(ville, _admin_of(ville), _le("2026-04-02"), None, 50, slice(0, n1 // 2))
    created = load_comparables()
    for siren, (soin, jour) in COMPARABLES.items():
        coll = _coll(siren)
        if coll is None or _answered(coll):
            continue
        user = _admin_of(coll)
        _seance(coll, user, _le(jour, 9) - timedelta(days=21), None, soin, slice(0, 12))
        _seance(coll, user, _le(jour, 14), None, soin)
    db.session.commit()
    return created
