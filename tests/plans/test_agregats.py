"""The maintained ``sous_arbre_fiche`` rows never drift: after many random edits through the
real services (fiche save, ranger, ORM placements, axes added / moved / deleted, corbeille,
Core updates, imports, plan deleted), they equal a from-scratch Python count of the
placements, tree and fiches, and so do the plan pages' figures."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from tests import builders
from tests.sql_spy import sql_sent
from tests.plans.test_import import messy_workbook
from tests.plans.test_stats_sql import TODAY, _figures, _per_axe, _reference
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.comptes.models import Collectivite
from tet.plans.agregats_tables import sous_arbre_compte, sous_arbre_fiche, sous_arbre_total
from tet.plans.models import PRIORITES, STATUTS, fiche_axe
from tet.plans import fiches as fiche_service
from tet.plans import (
    agregats as plan_agregats,
    import_lecture as plan_import,
    import_application as plan_import_apply,
    stats as plan_stats,
    arbre,
)
from tet.plans import arbre_page as tree_page


def _maintained() -> set[tuple]:
    return {(r.axe_id, r.fiche_id, r.plan_id, r.collectivite_id, bool(r.racine), bool(r.ici),
             bool(r.vivante),
             r.titre, r.statut, r.priorite, r.date_debut, r.date_fin)
            for r in db.session.execute(select(sous_arbre_fiche))}


def _expected() -> set[tuple]:
    """From scratch, in Python: each placement climbs to its plan's root."""
    db.session.expire_all()
    axes = {a.id: a for a in db.session.scalars(select(Axe))}
    fiches = {f.id: f for f in db.session.scalars(select(FicheAction))}
    ici: dict[tuple[int, int], bool] = {}
    for fiche_id, axe_id in db.session.execute(select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)):
        current, here = axes[axe_id], True
        while current is not None:
            key = (current.id, fiche_id)
            ici[key] = ici.get(key, False) or here
            current, here = axes.get(current.parent_id), False
    return {(axe_id, fid, axes[axe_id].plan_id, fiches[fid].collectivite_id,
             axes[axe_id].parent_id is None, here,
             fiches[fid].deleted_at is None, fiches[fid].titre, fiches[fid].statut,
             fiches[fid].priorite,
             fiches[fid].date_debut, fiches[fid].date_fin)
            for (axe_id, fid), here in ici.items()}


def _counts() -> tuple[dict, dict]:
    """(totals, root counts) as maintained, the zeros left out."""
    return ({(r.axe_id, r.collectivite_id, bool(r.ici), r.statut, r.plan_id): r.n
             for r in db.session.execute(select(sous_arbre_total)) if r.n},
            {(r.axe_id, r.collectivite_id, r.statut, r.priorite, r.echeance, r.plan_id): r.n
             for r in db.session.execute(select(sous_arbre_compte)) if r.n})


def _expected_counts(rows: set[tuple]) -> tuple[dict, dict]:
    totals, roots = Counter(), Counter()
    for axe_id, _f, plan_id, coll, racine, ici, vivante, _t, statut, priorite, _d, fin in rows:
        if vivante:
            totals[(axe_id, coll, ici, statut, plan_id)] += 1
            if racine:
                roots[(axe_id, coll, statut, priorite or "",
                       fin.strftime("%Y-%m") if fin else "", plan_id)] += 1
    return dict(totals), dict(roots)


def _check() -> None:
    db.session.flush()
    expected = _expected()
    assert _maintained() == expected
    assert _counts() == _expected_counts(expected)


class _Editor:
    """Random edits of one collectivité's plans through the services."""

    def __init__(self, rng: random.Random, coll_id: int, other_id: int):
        self.rng, self.coll_id, self.other_id = rng, coll_id, other_id

    def _fiches(self):
        return db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == self.coll_id).order_by(FicheAction.id)).all()

    def _axes(self, live_plans: bool = True):
        query = select(Axe).join(Plan).where(Plan.collectivite_id == self.coll_id)
        if live_plans:
            query = query.where(Plan.deleted_at.is_(None))
        return db.session.scalars(query.order_by(Axe.id)).all()

    def _data(self) -> dict:
        fin = self.rng.choice([None, TODAY - timedelta(days=self.rng.randint(1, 30)),
                               TODAY + timedelta(days=self.rng.randint(0, 400))])
        return {"titre": f"Fiche {self.rng.randint(1, 999)}",
                "statut": self.rng.choice(STATUTS)[0],
                "priorite": self.rng.choice(PRIORITES + [(None, "")])[0],
                "date_fin": fin, "date_debut": fin - timedelta(days=30) if fin else None}

    def new_fiche(self):
        fiche = fiche_service.save_fiche(FicheAction(collectivite_id=self.coll_id),
                                         self._data(), None)
        if self.rng.random() < 0.7:
            self.ranger(fiche)

    def save(self):
        fiche_service.save_fiche(self.rng.choice(self._fiches()), self._data(), None)

    def ranger(self, fiche=None):
        fiche = fiche or self.rng.choice(self._fiches())
        axes = self._axes()
        count = min(len(axes), self.rng.choice([0, 1, 2, 3]))
        arbre.ranger(fiche, {a.id for a in self.rng.sample(axes, count)})

    def orm_placement(self):
        fiche, axe = self.rng.choice(self._fiches()), self.rng.choice(self._axes())
        if axe in fiche.axes:
            fiche.axes.remove(axe)
        else:
            axe.fiches.append(fiche)

    def add_axe(self):
        parent = self.rng.choice(self._axes())
        arbre.add_axe(db.session.get(Plan, parent.plan_id), f"Axe {self.rng.randint(1, 99)}",
                     parent)

    def move(self):
        axe = self.rng.choice(self._axes())
        target = self.rng.choice([a for a in self._axes() if a.plan_id == axe.plan_id])
        try:
            self.rng.choice([lambda: arbre.move_under(axe, target), lambda: arbre.indent(axe),
                             lambda: arbre.outdent(axe)])()
        except arbre.TreeError:
            pass

    def delete_axe(self):
        axes = [a for a in self._axes() if a.parent_id is not None]
        if axes:
            arbre.delete_axe(self.rng.choice(axes))

    def corbeille(self):
        fiche = self.rng.choice(self._fiches())
        user = builders.user(f"x{self.rng.random()}@agregats.test")
        (fiche_service.restore if fiche.deleted_at else fiche_service.soft_delete)(fiche, user)

    def core_update(self):
        fiche = self.rng.choice(self._fiches())
        db.session.execute(update(FicheAction).where(FicheAction.id == fiche.id)
                           .values(statut=self.rng.choice(STATUTS)[0],
                                   date_fin=TODAY - timedelta(days=self.rng.randint(-9, 9))))

    def hard_delete(self):
        db.session.delete(self.rng.choice(self._fiches()))

    def plan_corbeille(self):
        plan = db.session.scalars(select(Plan).where(Plan.collectivite_id == self.coll_id)
                                  .order_by(Plan.id)).first()
        plan.deleted_at = None if plan.deleted_at else date(2026, 1, 1)

    def other_collectivite(self):
        fiche = self.rng.choice(self._fiches())
        fiche.collectivite_id = self.other_id


def _import(path, coll_id: int) -> None:
    coll = db.session.get(Collectivite, coll_id)
    bilan = plan_import_apply.apply(plan_import.read(str(path)), coll, None, "plan.xlsx")
    assert not getattr(bilan, "erreurs", None)


def _pages_agree(coll_id: int) -> None:
    """Dashboards, late list and tree counts against the plain Python count."""
    plans = db.session.scalars(select(Plan).where(Plan.collectivite_id == coll_id)).all()
    for plan in plans:
        fiches = db.session.scalars(select(FicheAction).where(
            FicheAction.deleted_at.is_(None), FicheAction.id.in_(
                select(fiche_axe.c.fiche_id).join(Axe).where(Axe.plan_id == plan.id)))
            .options(selectinload(FicheAction.pilotes), selectinload(FicheAction.tags),
                     selectinload(FicheAction.axes))).all()
        stats = plan_stats.plan_stats(plan, TODAY)
        assert _figures(stats) == _reference(fiches)
        assert stats.per_axe == _per_axe(plan.id, fiches)
        page = tree_page.load(plan)
        for node in [page.root, *page.axes]:
            under = {node.axe.id} | {n.axe.id for n in node.walk()}
            assert node.nb == sum(1 for f in fiches if {a.id for a in f.axes} & under)
            assert node.nb_ici == sum(1 for f in fiches if node.axe in f.axes)
            assert tree_page.count_here(node.axe) == node.nb_ici


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_maintained_rows_equal_a_from_scratch_count_after_random_edits(app, tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    with app.app_context():
        coll = builders.collectivite(f"Agrégats {seed}")
        other = builders.collectivite(f"Autre agrégats {seed}")
        for p in range(2):
            plan = arbre.create_plan(coll.id, f"Plan {p}")
            for i in range(4):
                arbre.add_axe(plan, f"Axe {p}.{i}")
        _import(path, coll.id)  # a third plan, written by Core INSERTs
        _check()
        editor = _Editor(rng, coll.id, other.id)
        for _ in range(12):
            editor.new_fiche()
        _check()
        weighted = (["new_fiche", "save", "ranger", "ranger", "orm_placement", "add_axe",
                     "move", "move", "delete_axe", "corbeille", "core_update", "hard_delete",
                     "plan_corbeille", "other_collectivite"])
        for step in range(60):
            getattr(editor, rng.choice(weighted))()
            db.session.flush()
            db.session.expire_all()  # as a new request would: no stale ORM collection
            if step % 3 == 2:
                _check()
        _import(path, coll.id)  # the re-import updates fiches and adds placements
        _check()
        db.session.commit()
        _pages_agree(coll.id)
        before = _maintained(), _counts()
        plan_agregats.rebuild()
        assert (_maintained(), _counts()) == before


def test_a_tree_operation_costs_a_bounded_number_of_queries(app):
    """Moving or deleting an axe recomputes the rows of the fiches under it in two
    statements, whatever the size of its plan; the plan's other rows are not rewritten."""
    with app.app_context():
        coll = builders.collectivite("Agrégats requêtes")
        plan = arbre.create_plan(coll.id, "Plan")
        a, b = arbre.add_axe(plan, "A"), arbre.add_axe(plan, "B")
        fiches = [FicheAction(collectivite_id=coll.id, titre=f"F{i}") for i in range(30)]
        db.session.add_all(fiches)
        db.session.flush()
        for f in fiches:
            arbre.ranger(f, {a.id})
        db.session.commit()
        with sql_sent(app) as sent:
            arbre.move_under(a, b)
            db.session.commit()
        writes = [s for s, _p in sent if "sous_arbre_fiche" in s]
        assert len(writes) == 2, writes  # INSERT the missing rows, DELETE the stale ones
        _check()
        c = arbre.add_axe(plan, "C")
        fiche = FicheAction(collectivite_id=coll.id, titre="Ailleurs")
        db.session.add(fiche)
        db.session.flush()
        arbre.ranger(fiche, {c.id})
        before = {r.axe_id for r in db.session.execute(select(sous_arbre_fiche).where(
            sous_arbre_fiche.c.fiche_id == fiche.id))}
        with sql_sent(app) as sent:
            arbre.delete_axe(b)
            db.session.commit()
        writes = [s for s, _p in sent if "sous_arbre_fiche" in s]
        assert len(writes) == 2, writes
        _check()
        assert {r.axe_id for r in db.session.execute(select(sous_arbre_fiche).where(
            sous_arbre_fiche.c.fiche_id == fiche.id))} == before
