"""The demo maturity data (seeds/demo_maturite.py, run by ``flask seed --demo``): the CC's
two-year history ending on the active version, Ville d'Exemple's partial answers, and the
comparable collectivités that publish the CC's benchmark groups. Run once on the test
questionnaire with a version 2 made from it (S1's text changed)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite
from tet.maturite.models import (
    IndiceCourant,
    Question,
    Reponse,
    Snapshot,
    SuiviRecommandation,
)
from tet.maturite import benchmark, questionnaire as maturite, versions


def _counts():
    return [db.session.scalar(select(func.count()).select_from(m)) for m in
            (Reponse, Snapshot, SuiviRecommandation, AuditLog, Collectivite)]


@pytest.fixture
def demo(app, ids):
    from seeds.demo_maturite import load_demo_maturite

    with app.app_context():
        v1 = maturite.active_version()
        s1 = db.session.scalar(select(Question.id).where(Question.version_id == v1.id,
                                                         Question.code == "S1"))
        v2 = versions.new_version(v1, s1, {"texte": "Sensibilisez-vous vos agents chaque année ?"})
        db.session.commit()
        load_demo_maturite()
        before = _counts()
        load_demo_maturite()  # idempotent
        assert _counts() == before
        return {"v1": v1.id, "v2": v2.id}


def test_demo_history_comparables_and_ville(app, ids, login_as, demo):
    """One run of the seed (twice: idempotent) checked as a whole."""
    with app.app_context():
        snaps = db.session.scalars(select(Snapshot).where(
            Snapshot.collectivite_id == ids["cc"]).order_by(Snapshot.id)).all()
        assert snaps[-1].at - snaps[0].at >= timedelta(days=548)
        assert [s.at for s in snaps] == sorted(s.at for s in snaps)
        assert not snaps[0].officiel and snaps[1].officiel  # partial first, then official
        official = [s.indice for s in snaps if s.officiel]
        assert official == sorted(official) and official[-1] > official[0]
        assert any(s.niveau2 for s in snaps) and not snaps[0].niveau2
        moved = next(s for s in snaps if s.version_id == demo["v2"])
        assert moved.at < snaps[-1].at  # answers after the move
        courant = db.session.get(IndiceCourant, ids["cc"])
        assert courant.indice_officiel is not None and courant.version_id == demo["v2"]
        assert versions.version_of(ids["cc"]).id == demo["v2"]
        v2_answers = db.session.scalars(select(Reponse).join(Question).where(
            Reponse.collectivite_id == ids["cc"], Question.version_id == demo["v2"])).all()
        assert v2_answers and any(r.updated_at > moved.at for r in v2_answers)
        assert db.session.scalar(select(func.count()).select_from(Reponse).join(Question).where(
            Reponse.collectivite_id == ids["cc"], Question.version_id == demo["v1"])) > 0
        # the follow-up of recommendations, dated, one through a fiche, carried to v2
        suivis = db.session.scalars(select(SuiviRecommandation).where(
            SuiviRecommandation.collectivite_id == ids["cc"])).all()
        assert {s.statut for s in suivis} >= {"realisee", "en_cours"}
        assert any(s.fiche_id for s in suivis)
        assert all(s.updated_at is not None and s.updated_at.year in (2024, 2025, 2026)
                   for s in suivis)
        assert any(s.recommandation.version_id == demo["v2"] for s in suivis)
        # the journal dates each step, not the day of the seed
        dates = {a.date() for a in db.session.scalars(select(AuditLog.at).where(
            AuditLog.collectivite_id == ids["cc"], AuditLog.object_type == "Reponse"))}
        assert len(dates) >= 5 and min(dates).year == 2024
    # Ville d'Exemple: part of niveau 1; the CC's benchmark groups are published
    with app.app_context():
        latest = maturite.latest_snapshots([ids["ville"]])[ids["ville"]]
        assert not latest.officiel and 0 < latest.progression < 100
        groups = benchmark.benchmark(db.session.get(Collectivite, ids["cc"]))
        assert app.config["BENCHMARK_MIN_GROUPE"] == 5
        assert len(groups) == 2 and all(g.publie for g in groups)
        assert all(g.count >= 6 and g.q1 < g.q3 for g in groups)
    page = login_as("admin_cc").get("/admin/maturite/").get_data(as_text=True)
    assert "Pas assez de collectivités comparables" not in page
    assert "Passer à la version" not in page  # already moved
    assert page.count("<circle") >= 8  # one point per sitting of the history
