"""The dashboards' SQL aggregates give the figures a plain Python count over the loaded
fiches gives (the former computation), on varied generated plans: nested axes, fiches in
several axes and plans, deleted fiches and plans, pilotes (users and « personne » tags,
same-named ones, accented names), late fiches with ties."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from tests import builders
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan, Tag
from tet.colonnes import utcnow
from tet.plans.models import PRIORITES, STATUTS, fiche_axe, fiche_pilote_user, fiche_tag
from tet.plans import agregats as plan_agregats, stats as plan_stats, arbre

TODAY = date(2026, 6, 15)
TITRES = ["Étudier le réseau", "agir vite", "Zèbre", "Agir vite", "École", "Éclairage",
          "Vélo", "vélo", "Ã part"]
NAMES = [("Marie", "Curie"), ("Marie", "Curie"), ("", ""), ("Élodie", "Martin"),
         ("zoé", "Alpha"), ("Adam", "Zed")]


def _generate(seed: int) -> tuple[int, list[int]]:
    """A collectivité with three plans (one deleted) of random trees, and random fiches;
    returns (collectivité id, plan ids)."""
    rng = random.Random(seed)
    coll = builders.collectivite(f"Stats {seed}")
    other = builders.collectivite(f"Autre {seed}")
    users = [builders.user(f"pilote{seed}-{i}@stats.test", prenom=p, nom=n)
             for i, (p, n) in enumerate(NAMES)]
    tags = [Tag(collectivite_id=coll.id, kind="personne", nom=n)
            for n in ("Marie Curie", "Élodie Martin", "adam", "Sans pilote")]
    tags.append(Tag(collectivite_id=coll.id, kind="service", nom="Service voirie"))
    db.session.add_all(tags)
    plans, axes = [], []
    for p in range(3):
        plan = arbre.create_plan(coll.id, rng.choice(["Plan B", "plan a", "Élan"]) + str(p))
        plan_axes = [arbre.root_of(plan)]
        for _ in range(rng.randint(0, 9)):
            parent = rng.choice(plan_axes)
            plan_axes.append(arbre.add_axe(plan, f"Axe {len(axes) + len(plan_axes)}",
                                          None if parent.parent_id is None else parent))
        plans.append(plan)
        axes += plan_axes
    plans[2].deleted_at = utcnow()
    db.session.flush()
    fiches = []
    for i in range(rng.randint(20, 80)):
        fin = rng.choice([None, TODAY - timedelta(days=rng.randint(1, 3)), TODAY,
                          TODAY + timedelta(days=rng.randint(1, 400))])
        fiches.append(FicheAction(
            collectivite_id=coll.id if rng.random() < 0.95 else other.id,
            titre=rng.choice(TITRES), statut=rng.choice(STATUTS)[0],
            priorite=rng.choice(PRIORITES + [(None, "")])[0], date_fin=fin,
            date_debut=fin - timedelta(days=rng.randint(0, 900)) if fin and rng.random() < .8
            else None, deleted_at=utcnow() if rng.random() < 0.1 else None))
    db.session.add_all(fiches)
    db.session.flush()
    links = {fiche_axe: set(), fiche_pilote_user: set(), fiche_tag: set()}
    for f in fiches:
        for a in rng.sample(axes, rng.choice([0, 1, 1, 2, 3])):
            links[fiche_axe].add((f.id, a.id))
        for u in rng.sample(users, rng.choice([0, 0, 1, 2])):
            links[fiche_pilote_user].add((f.id, u.id))
        for t in rng.sample(tags, rng.choice([0, 1, 2])):
            links[fiche_tag].add((f.id, t.id))
    keys = {fiche_axe: "axe_id", fiche_pilote_user: "user_id", fiche_tag: "tag_id"}
    for table, rows in links.items():
        if rows:
            db.session.execute(insert(table), [{"fiche_id": f, keys[table]: other_id}
                                               for f, other_id in sorted(rows)])
    plan_agregats.rebuild()  # Core writes keep the maintained aggregates themselves
    db.session.commit()
    return coll.id, [p.id for p in plans]


# --- the reference: plain Python over the loaded fiches ---------------------------------

def _load(condition) -> list[FicheAction]:
    return list(db.session.scalars(select(FicheAction).where(
        condition, FicheAction.deleted_at.is_(None)).options(
        selectinload(FicheAction.pilotes), selectinload(FicheAction.tags),
        selectinload(FicheAction.axes))))


def _percent(fiches):
    counted = [f for f in fiches if f.statut != "abandonne"]
    return round(100 * sum(f.statut == "realise" for f in counted) / len(counted)) \
        if counted else None


def _reference(fiches) -> dict:
    pilotes = Counter(name for f in fiches for name in (
        [u.nom_complet for u in f.pilotes] + [t.nom for t in f.tags if t.kind == "personne"]
        or ["Sans pilote"]))
    late = sorted((f for f in fiches if plan_stats.is_late(f.date_fin, f.statut, TODAY)),
                  key=lambda f: (f.date_fin, f.titre, f.id))
    statuts, priorites = Counter(f.statut for f in fiches), Counter(f.priorite for f in fiches)
    return {
        "total": len(fiches),
        "by_statut": [(c, label, statuts[c]) for c, label in STATUTS],
        "by_priorite": [(c, label, priorites[c]) for c, label in PRIORITES]
        + [("", "Non renseignée", priorites[None])],
        "by_pilote": sorted(pilotes.items(), key=lambda kv: (-kv[1], kv[0]))[:15],
        "late": [f.id for f in late[:20]], "late_count": len(late),
        "avancement": _percent(fiches),
    }


def _figures(stats) -> dict:
    return {"total": stats.total, "by_statut": stats.by_statut,
            "by_priorite": stats.by_priorite, "by_pilote": stats.by_pilote,
            "late": [f.id for f in stats.late], "late_count": stats.late_count,
            "avancement": stats.avancement}


def _per_axe(plan_id: int, fiches) -> list:
    axes = db.session.scalars(select(Axe).where(Axe.plan_id == plan_id)
                              .order_by(Axe.position, Axe.id)).all()
    root = next(a for a in axes if a.parent_id is None)
    rows = []
    for top in (a for a in axes if a.parent_id == root.id):
        subtree, grew = {top.id}, True
        while grew:
            more = {a.id for a in axes if a.parent_id in subtree} - subtree
            subtree |= more
            grew = bool(more)
        mine = [f for f in fiches if {a.id for a in f.axes} & subtree]
        rows.append((top.nom, len(mine), _percent(mine)))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_sql_figures_equal_a_python_count(app, seed):
    with app.app_context():
        cid, plan_ids = _generate(seed)
        everything = _load(FicheAction.collectivite_id == cid)
        stats, rows = plan_stats.collectivite_stats(cid, TODAY)
        assert _figures(stats) == _reference(everything)
        live_plans = db.session.scalars(select(Plan).where(
            Plan.id.in_(plan_ids), Plan.deleted_at.is_(None))).all()
        assert [(p.id, n, av) for p, n, av in rows] == [
            (p.id, len(mine), _percent(mine)) for p in sorted(live_plans, key=lambda p: (p.nom, p.id))
            for mine in [[f for f in everything if any(a.plan_id == p.id for a in f.axes)]]]
        for plan_id in plan_ids:
            in_plan = _load(FicheAction.id.in_(select(fiche_axe.c.fiche_id).join(Axe).where(
                Axe.plan_id == plan_id)))
            stats = plan_stats.plan_stats(db.session.get(Plan, plan_id), TODAY)
            assert _figures(stats) == _reference(in_plan)
            assert stats.per_axe == _per_axe(plan_id, in_plan)
