"""Plan tree operations on the domain service (no HTTP)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tet.extensions import db
from tet.models import Axe, Collectivite, FicheAction
from tet.services import tree


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


def _coll(siren="200067890"):
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))


def _names(plan, parent):
    return [a.nom for a in tree.siblings(plan.id, parent.id)]


def _assert_dense(plan):
    axes = db.session.scalars(select(Axe).where(Axe.plan_id == plan.id)).all()
    by_parent = {}
    for a in axes:
        by_parent.setdefault(a.parent_id, []).append(a.position)
    for positions in by_parent.values():
        assert sorted(positions) == list(range(len(positions)))


@pytest.fixture
def plan(ctx):
    plan = tree.create_plan(_coll().id, "PCAET 2024-2030", "pcaet")
    for name in ("A", "B", "C", "D"):
        tree.add_axe(plan, name)
    return plan


def _axe(plan, nom):
    return db.session.scalar(select(Axe).where(Axe.plan_id == plan.id, Axe.nom == nom))


def test_axes_are_appended_with_dense_positions(plan):
    root = tree.root_of(plan)
    assert _names(plan, root) == ["A", "B", "C", "D"]
    tree.add_axe(plan, "A.1", _axe(plan, "A"))
    assert _names(plan, _axe(plan, "A")) == ["A.1"]
    _assert_dense(plan)


def test_move_up_and_down_with_boundaries(plan):
    root = tree.root_of(plan)
    tree.move(_axe(plan, "C"), -1)
    assert _names(plan, root) == ["A", "C", "B", "D"]
    tree.move(_axe(plan, "A"), +1)
    assert _names(plan, root) == ["C", "A", "B", "D"]
    with pytest.raises(tree.TreeError, match="premier"):
        tree.move(_axe(plan, "C"), -1)
    with pytest.raises(tree.TreeError, match="dernier"):
        tree.move(_axe(plan, "D"), +1)
    _assert_dense(plan)


def test_indent_and_outdent(plan):
    root = tree.root_of(plan)
    tree.indent(_axe(plan, "C"))  # last child of B
    assert _names(plan, root) == ["A", "B", "D"]
    assert _names(plan, _axe(plan, "B")) == ["C"]
    with pytest.raises(tree.TreeError):
        tree.indent(_axe(plan, "A"))  # first of its level
    tree.outdent(_axe(plan, "C"))  # back right after B
    assert _names(plan, root) == ["A", "B", "C", "D"]
    with pytest.raises(tree.TreeError, match="premier niveau"):
        tree.outdent(_axe(plan, "A"))
    _assert_dense(plan)


def test_move_under_another_axe_and_cycle_refusal(plan):
    b, c = _axe(plan, "B"), _axe(plan, "C")
    tree.move_under(c, b)
    b1 = tree.add_axe(plan, "B.1", b)
    tree.move_under(b1, c)  # B > C > B.1
    with pytest.raises(tree.TreeError, match="sous lui-même"):
        tree.move_under(b, b1)
    with pytest.raises(tree.TreeError, match="sous lui-même"):
        tree.move_under(b, b)
    assert _axe(plan, "B").parent_id == tree.root_of(plan).id
    _assert_dense(plan)


def test_move_across_plans_is_refused(plan):
    other = tree.create_plan(plan.collectivite_id, "CRTE", "crte")
    with pytest.raises(tree.TreeError):
        tree.move_under(_axe(plan, "A"), tree.root_of(other))


def test_root_cannot_be_moved_or_deleted(plan):
    root = tree.root_of(plan)
    for operation in (lambda: tree.delete_axe(root), lambda: tree.move(root, 1),
                      lambda: tree.indent(root), lambda: tree.outdent(root)):
        with pytest.raises(tree.TreeError):
            operation()


def _fiche(plan, titre):
    fiche = FicheAction(collectivite_id=plan.collectivite_id, titre=titre)
    db.session.add(fiche)
    db.session.flush()
    return fiche


def test_delete_axe_keeps_its_fiches(plan):
    b = _axe(plan, "B")
    b1 = tree.add_axe(plan, "B.1", b)
    fiche = _fiche(plan, "Rénover les écoles")
    tree.ranger(fiche, {b1.id, _axe(plan, "D").id})
    tree.delete_axe(b)
    assert db.session.get(FicheAction, fiche.id) is not None
    assert [a.nom for a in tree.places(fiche)] == ["D"]
    assert _names(plan, tree.root_of(plan)) == ["A", "C", "D"]
    assert _axe(plan, "B.1") is None
    _assert_dense(plan)


def test_fiche_rangee_in_two_plans_is_one_record(plan):
    crte = tree.create_plan(plan.collectivite_id, "CRTE", "crte")
    axe_crte = tree.add_axe(crte, "Transition énergétique")
    fiche = _fiche(plan, "Chaufferie bois")
    tree.ranger(fiche, {_axe(plan, "A").id, axe_crte.id})
    fiche.statut = "en_cours"
    db.session.flush()
    seen = []
    for p in (plan, crte):
        root, fiches = tree.load_tree(p)
        seen += [f for f in fiches if f.titre == "Chaufferie bois"]
    assert len(seen) == 2 and seen[0] is seen[1] and seen[0].statut == "en_cours"
    assert db.session.scalar(select(db.func.count(FicheAction.id)).where(
        FicheAction.titre == "Chaufferie bois")) == 1


def test_ranger_refuses_axes_of_another_collectivite(plan):
    foreign = tree.create_plan(_coll("216801993").id, "PAT", "pat")
    fiche = _fiche(plan, "Cantine bio")
    with pytest.raises(tree.TreeError, match="sa collectivité"):
        tree.ranger(fiche, {tree.add_axe(foreign, "Alimentation").id})
    assert tree.places(fiche) == []


def test_load_tree_nests_axes_and_fiches(plan):
    a = _axe(plan, "A")
    a1 = tree.add_axe(plan, "A.1", a)
    f1, f2 = _fiche(plan, "Zèbre"), _fiche(plan, "Abeilles")
    tree.ranger(f1, {a1.id})
    tree.ranger(f2, {a1.id, tree.root_of(plan).id})
    root, fiches = tree.load_tree(plan)
    assert [n.axe.nom for n in root.children] == ["A", "B", "C", "D"]
    assert root.children[0].children[0].depth == 1
    assert [f.titre for f in root.children[0].children[0].fiches] == ["Abeilles", "Zèbre"]
    assert [f.titre for f in root.fiches] == ["Abeilles"]
    assert {f.titre for f in fiches} == {"Abeilles", "Zèbre"}
