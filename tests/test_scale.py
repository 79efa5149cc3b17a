"""The load data set (``seed --scale``): proportional, valid, consistent with the app's own
index, refused twice and in production, and its pages render."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from seeds import scale
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.comptes.models import Collectivite, Membership, Opsn, User
from tet.indicateurs.models import IndicateurValeur
from tet.comptes.demandes import Rattachement
from tet.maturite.models import Snapshot
from tet.plans.models import fiche_axe
from tet.comptes import services as accounts
from tet.maturite import questionnaire as maturite
from tet.comptes.siren import siren_error

FACTOR = 0.001  # 200 fiches, 2,000 values, 10 questionnaires


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def generated(app):
    with app.app_context():
        before = {"fiches": _count(FicheAction), "valeurs": _count(IndicateurValeur)}
        counts = scale.generate(FACTOR)
    return before, counts


def test_counts_are_proportional_to_the_factor(app, generated):
    before, counts = generated
    n = scale.sizes(FACTOR)
    with app.app_context():
        assert _count(FicheAction) - before["fiches"] == n["fiches"] == 200
        assert _count(IndicateurValeur) - before["valeurs"] == n["valeurs"] == 2000
        grosse = db.session.scalar(select(Collectivite).where(
            Collectivite.siren == scale.GROSSE_SIREN))
        assert _count(FicheAction, FicheAction.collectivite_id == grosse.id) == 100
        assert counts["mat_snapshot"] == 3 * n["questionnaires"]
        opsn = db.session.scalar(select(Opsn).where(Opsn.siren == scale.OPSN_SIREN))
        assert _count(Rattachement, Rattachement.opsn_id == opsn.id,
                      Rattachement.statut == "acceptee") == n["opsn_collectivites"]


def test_generated_rows_are_valid(app, generated):
    with app.app_context():
        sirens = db.session.scalars(select(Collectivite.siren)).all()
        sirens += db.session.scalars(select(Opsn.siren)).all()
        assert [s for s in sirens if siren_error(s)] == []
        # fiches filed in two plans of the big collectivité
        two_plans = db.session.scalar(
            select(func.count()).select_from(
                select(fiche_axe.c.fiche_id).join(Axe, Axe.id == fiche_axe.c.axe_id)
                .group_by(fiche_axe.c.fiche_id)
                .having(func.count(func.distinct(Axe.plan_id)) > 1).subquery()))
        assert two_plans > 0
        # the big tree is four levels deep
        arbre = db.session.scalar(select(Plan).join(Collectivite).where(
            Collectivite.siren == scale.ARBRE_SIREN))
        parents = dict(db.session.execute(select(Axe.id, Axe.parent_id).where(
            Axe.plan_id == arbre.id)).all())

        def depth(axe_id):  # the root (the plan itself) is level 0
            return 0 if parents[axe_id] is None else 1 + depth(parents[axe_id])
        assert max(depth(a) for a in parents) == 4
        # every plan has exactly one root axe, named like the plan (domain.md)
        roots = db.session.execute(select(Plan.id, Plan.nom, Axe.nom).join(
            Axe, Axe.plan_id == Plan.id).where(Axe.parent_id.is_(None))).all()
        assert len(roots) == len({p for p, _n, _a in roots}) == db.session.scalar(
            select(func.count(Plan.id)))
        assert all(plan_nom == axe_nom for _p, plan_nom, axe_nom in roots)
        # every generated member belongs to a collectivité, with a known niveau
        assert set(db.session.scalars(select(Membership.niveau).distinct())) <= {
            "admin", "edition", "contributeur", "lecture"}


def test_latest_snapshot_is_the_index_the_app_computes(app, generated):
    with app.app_context():
        last = maturite.latest_snapshots()
        generated_ids = db.session.scalars(select(Snapshot.collectivite_id).where(
            Snapshot.at < scale.NOW).distinct()).all()
        assert len(generated_ids) >= 10
        for cid in generated_ids[:10]:
            score = maturite.load(db.session.get(Collectivite, cid)).score
            snap = last[cid]
            assert (snap.indice, snap.lettre, snap.officiel, snap.progression) == (
                score.indice, score.letter, score.officiel, score.progression)


def test_a_second_run_is_refused_and_adds_nothing(app, generated):
    with app.app_context():
        fiches = _count(FicheAction)
        with pytest.raises(scale.ScaleError, match="Données de charge déjà présentes"):
            scale.generate(FACTOR)
        assert _count(FicheAction) == fiches
    result = app.test_cli_runner().invoke(args=["seed", "--scale", "1"])
    assert result.exit_code != 0 and "déjà présentes" in result.output


def test_cli_refuses_out_of_range_and_production(app, monkeypatch):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed", "--scale", "0"]).exit_code != 0
    assert runner.invoke(args=["seed", "--scale", "101"]).exit_code != 0
    monkeypatch.setitem(app.config, "ALLOW_DEMO_SEED", False)
    result = runner.invoke(args=["seed", "--scale", "1"])
    assert result.exit_code != 0 and "production" in result.output
    with app.app_context():
        assert db.session.scalar(select(Collectivite.id).where(
            Collectivite.siren == scale.GROSSE_SIREN)) is None


def _login(app, email):
    from tests.conftest import login

    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_pages_of_generated_collectivites_render(app, generated, login_as):
    with app.app_context():
        gros = db.session.scalar(select(Plan.id).join(Collectivite).where(
            Collectivite.siren == scale.GROSSE_SIREN, Plan.type == "pcaet"))
        arbre = db.session.scalar(select(Plan.id).join(Collectivite).where(
            Collectivite.siren == scale.ARBRE_SIREN))
        fiche = db.session.scalar(select(func.min(FicheAction.id)).join(Plan, Plan.id == gros)
                                  .where(FicheAction.collectivite_id == Plan.collectivite_id))
        repondante = db.session.scalar(select(User).join(Membership).join(
            Snapshot, Snapshot.collectivite_id == Membership.collectivite_id).where(
            Membership.niveau == "admin").limit(1))
        accounts.set_password(repondante, "tet-demo", enforce_policy=False)
        db.session.commit()
        repondante = repondante.email
    admin = _login(app, f"admin@grosse.{scale.EMAIL_DOMAIN}")
    for url in (f"/admin/plan/{gros}/arbre", f"/admin/plan/{gros}/tableau-de-bord",
                f"/admin/plan/{gros}/calendrier", "/admin/plan/tableau-de-bord",
                "/admin/fiche/", f"/admin/fiche/{fiche}"):
        assert admin.get(url).status_code == 200, url
    assert _login(app, f"lecture@arbre.{scale.EMAIL_DOMAIN}").get(
        f"/admin/plan/{arbre}/arbre").status_code == 200
    assert _login(app, repondante).get("/admin/maturite/").status_code == 200
    assert _login(app, f"opsn.admin@{scale.EMAIL_DOMAIN}").get(
        "/admin/opsn-espace/").status_code == 200
    support = login_as("support")
    for url in ("/admin/maturite-nationale/", "/admin/collectivite/", "/admin/auditlog/"):
        assert support.get(url).status_code == 200, url


def test_generated_users_get_their_python_side_defaults(app, generated):
    """Rows written by COPY on PostgreSQL still get the model's Python defaults (a user
    with an empty session token could not keep a session)."""
    with app.app_context():
        tokens = db.session.scalars(select(User.session_token).where(
            User.email.like(f"%@%{scale.EMAIL_DOMAIN}"))).all()
        assert tokens and all(tokens) and len(set(tokens)) == len(tokens)


def test_generated_history_fills_the_current_index_table(app, generated):
    """Bulk inserts bypass the ORM events: the seed rebuilds the table in SQL."""
    from tet.maturite.models import IndiceCourant

    with app.app_context():
        last = maturite.latest_snapshots()
        official = maturite.latest_snapshots(officiel_only=True)
        rows = {i.collectivite_id: i for i in db.session.scalars(select(IndiceCourant))}
        assert set(rows) == set(last) and len(rows) >= 10
        for cid, row in rows.items():
            assert (row.snapshot_id, row.progression) == (last[cid].id, last[cid].progression)
            assert row.officiel_snapshot_id == (official[cid].id if cid in official else None)
