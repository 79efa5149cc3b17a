"""Plan tree operations on the domain service (no HTTP)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tet.extensions import db
from tet.plans.models import Axe, FicheAction
from tet.comptes.models import Collectivite
from tet.plans import arbre


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


def _coll(siren="200099901"):
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))


def _names(plan, parent):
    return [a.nom for a in arbre.siblings(plan.id, parent.id)]


def _assert_dense(plan):
    axes = db.session.scalars(select(Axe).where(Axe.plan_id == plan.id)).all()
    by_parent = {}
    for a in axes:
        by_parent.setdefault(a.parent_id, []).append(a.position)
    for positions in by_parent.values():
        assert sorted(positions) == list(range(len(positions)))


@pytest.fixture
def plan(ctx):
    plan = arbre.create_plan(_coll().id, "PCAET 2024-2030", "pcaet")
    for name in ("A", "B", "C", "D"):
        arbre.add_axe(plan, name)
    return plan


def _axe(plan, nom):
    return db.session.scalar(select(Axe).where(Axe.plan_id == plan.id, Axe.nom == nom))


def test_axes_are_appended_with_dense_positions(plan):
    root = arbre.root_of(plan)
    assert _names(plan, root) == ["A", "B", "C", "D"]
    arbre.add_axe(plan, "A.1", _axe(plan, "A"))
    assert _names(plan, _axe(plan, "A")) == ["A.1"]
    _assert_dense(plan)


def test_move_up_and_down_with_boundaries(plan):
    root = arbre.root_of(plan)
    arbre.move(_axe(plan, "C"), -1)
    assert _names(plan, root) == ["A", "C", "B", "D"]
    arbre.move(_axe(plan, "A"), +1)
    assert _names(plan, root) == ["C", "A", "B", "D"]
    with pytest.raises(arbre.TreeError, match="premier"):
        arbre.move(_axe(plan, "C"), -1)
    with pytest.raises(arbre.TreeError, match="dernier"):
        arbre.move(_axe(plan, "D"), +1)
    _assert_dense(plan)


def test_indent_and_outdent(plan):
    root = arbre.root_of(plan)
    arbre.indent(_axe(plan, "C"))  # last child of B
    assert _names(plan, root) == ["A", "B", "D"]
    assert _names(plan, _axe(plan, "B")) == ["C"]
    with pytest.raises(arbre.TreeError):
        arbre.indent(_axe(plan, "A"))  # first of its level
    arbre.outdent(_axe(plan, "C"))  # back right after B
    assert _names(plan, root) == ["A", "B", "C", "D"]
    with pytest.raises(arbre.TreeError, match="premier niveau"):
        arbre.outdent(_axe(plan, "A"))
    _assert_dense(plan)


def test_move_under_another_axe_and_cycle_refusal(plan):
    b, c = _axe(plan, "B"), _axe(plan, "C")
    arbre.move_under(c, b)
    b1 = arbre.add_axe(plan, "B.1", b)
    arbre.move_under(b1, c)  # B > C > B.1
    with pytest.raises(arbre.TreeError, match="sous lui-même"):
        arbre.move_under(b, b1)
    with pytest.raises(arbre.TreeError, match="sous lui-même"):
        arbre.move_under(b, b)
    assert _axe(plan, "B").parent_id == arbre.root_of(plan).id
    _assert_dense(plan)


def test_move_across_plans_is_refused(plan):
    other = arbre.create_plan(plan.collectivite_id, "CRTE", "crte")
    with pytest.raises(arbre.TreeError):
        arbre.move_under(_axe(plan, "A"), arbre.root_of(other))


def test_root_cannot_be_moved_or_deleted(plan):
    root = arbre.root_of(plan)
    for operation in (lambda: arbre.delete_axe(root), lambda: arbre.move(root, 1),
                      lambda: arbre.indent(root), lambda: arbre.outdent(root)):
        with pytest.raises(arbre.TreeError):
            operation()


def _fiche(plan, titre):
    fiche = FicheAction(collectivite_id=plan.collectivite_id, titre=titre)
    db.session.add(fiche)
    db.session.flush()
    return fiche


def test_delete_axe_keeps_its_fiches(plan):
    b = _axe(plan, "B")
    b1 = arbre.add_axe(plan, "B.1", b)
    fiche = _fiche(plan, "Rénover les écoles")
    arbre.ranger(fiche, {b1.id, _axe(plan, "D").id})
    arbre.delete_axe(b)
    assert db.session.get(FicheAction, fiche.id) is not None
    assert [a.nom for a in arbre.places(fiche)] == ["D"]
    assert _names(plan, arbre.root_of(plan)) == ["A", "C", "D"]
    assert _axe(plan, "B.1") is None
    _assert_dense(plan)


def test_fiche_rangee_in_two_plans_is_one_record(plan):
    crte = arbre.create_plan(plan.collectivite_id, "CRTE", "crte")
    axe_crte = arbre.add_axe(crte, "Transition énergétique")
    fiche = _fiche(plan, "Chaufferie bois")
    arbre.ranger(fiche, {_axe(plan, "A").id, axe_crte.id})
    fiche.statut = "en_cours"
    db.session.flush()
    seen = []
    for p in (plan, crte):
        root, fiches = arbre.load_tree(p)
        seen += [f for f in fiches if f.titre == "Chaufferie bois"]
    assert len(seen) == 2 and seen[0] is seen[1] and seen[0].statut == "en_cours"
    assert db.session.scalar(select(db.func.count(FicheAction.id)).where(
        FicheAction.titre == "Chaufferie bois")) == 1


def test_ranger_refuses_axes_of_another_collectivite(plan):
    foreign = arbre.create_plan(_coll("216890103").id, "PAT", "pat")
    fiche = _fiche(plan, "Cantine bio")
    with pytest.raises(arbre.TreeError, match="sa collectivité"):
        arbre.ranger(fiche, {arbre.add_axe(foreign, "Alimentation").id})
    assert arbre.places(fiche) == []


def test_load_tree_nests_axes_and_fiches(plan):
    a = _axe(plan, "A")
    a1 = arbre.add_axe(plan, "A.1", a)
    f1, f2 = _fiche(plan, "Zèbre"), _fiche(plan, "Abeilles")
    arbre.ranger(f1, {a1.id})
    arbre.ranger(f2, {a1.id, arbre.root_of(plan).id})
    root, fiches = arbre.load_tree(plan)
    assert [n.axe.nom for n in root.children] == ["A", "B", "C", "D"]
    assert root.children[0].children[0].depth == 1
    assert [f.titre for f in root.children[0].children[0].fiches] == ["Abeilles", "Zèbre"]
    assert [f.titre for f in root.fiches] == ["Abeilles"]
    assert {f.titre for f in fiches} == {"Abeilles", "Zèbre"}
