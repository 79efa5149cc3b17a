"""The score formula (tet.projets.score) on hand-computed cases, and the SQL ranking agreeing
with it."""
import pytest

from tet.projets.score import CritereDef, MatriceDef, calculer, normaliser

OPT = (1, 3, 5)
# Opportunité 60 % (c1, c2 at 50 %), Faisabilité 40 % (c3, c4 at 50 %); axe 7 on c1 and c4
DEUX_MATRICES = [MatriceDef(1, 60, OPT, (CritereDef(1, 50, 7), CritereDef(2, 50))),
                 MatriceDef(2, 40, OPT, (CritereDef(3, 50), CritereDef(4, 50, 7)))]


def _notes(par_membre):
    return {(m, c): n for m, notes in par_membre.items() for c, n in enumerate(notes, 1)}


def test_normalisation_sur_l_etendue_des_options():
    assert [normaliser(n, OPT) for n in OPT] == [0, 50, 100]
    assert normaliser(3, (0, 1, 2, 3, 4)) == 75
    with pytest.raises(ValueError):
        normaliser(1, (1, 1))


def test_deux_matrices_deux_membres_calcule_a_la_main():
    # membre 1 : 100 100 | 50 50 → S(1,A) = 100, S(1,B) = 50, G(1) = 0,6×100 + 0,4×50 = 80
    # membre 2 : 50 100 | 50 0  → S(2,A) = 75,  S(2,B) = 25, G(2) = 0,6×75 + 0,4×25 = 55
    # S(A) = 87,5 ; S(B) = 37,5 ; G = 0,6×87,5 + 0,4×37,5 = 67,5
    # axe 7 : c1 (poids 60×50, moyenne 75) et c4 (40×50, moyenne 25) → 55
    r = calculer(DEUX_MATRICES, _notes({1: [5, 5, 3, 3], 2: [3, 5, 3, 1]}))
    assert r.matrices == {1: 87.5, 2: 37.5}
    assert r.global_ == pytest.approx(67.5)
    assert r.axes == {7: pytest.approx(55)}
    assert r.global_axes is None  # no share given
    # axes 7 (part 30 %, score 55) and 8 (part 70 %, on c2: mean of 100 and 100)
    matrices = [MatriceDef(
        1, 60, OPT, (CritereDef(1, 50, 7), CritereDef(2, 50, 8))), DEUX_MATRICES[1]]
    r2 = calculer(matrices, _notes({1: [5, 5, 3, 3], 2: [3, 5, 3, 1]}), {7: 30, 8: 70})
    assert r2.axes == {7: pytest.approx(55), 8: 100}
    assert r2.global_axes == pytest.approx(0.3 * 55 + 0.7 * 100)
    assert r.par_membre == {1: pytest.approx(80), 2: pytest.approx(55)}
    assert r.ecart == pytest.approx(25) and r.ecart_type == pytest.approx(12.5)
    assert not r.ecart_fort and not r.atypiques  # < 40 points; 2 evaluators: no outlier


def test_poids_inegaux_et_evaluation_partielle():
    # options 0..4 ; critères 25 % et 75 %
    mat = [MatriceDef(1, 100, (0, 1, 2, 3, 4), (CritereDef(1, 25), CritereDef(2, 75)))]
    # m1 : 4, 2 → (25×100 + 75×50) / 100 = 62,5 ; m2 n'a noté que c1 : 0 → 0 ; m3 : 4, 4 → 100
    r = calculer(mat, {(1, 1): 4, (1, 2): 2, (2, 1): 0, (3, 1): 4, (3, 2): 4})
    assert r.global_ == pytest.approx((62.5 + 0 + 100) / 3)
    assert r.ecart == 100 and r.ecart_fort


def test_evaluateur_atypique_au_dela_de_25_points_de_la_moyenne_des_autres():
    mat = [MatriceDef(1, 100, (1, 2, 3, 4, 5), (CritereDef(1, 100),))]
    # G(m) = 100, 100, 100, 25 : le 4e est à 75 points des autres ; chacun des trois
    # premiers est à exactement 25 points de la moyenne des autres (75) : pas au-delà
    r = calculer(mat, {(1, 1): 5, (2, 1): 5, (3, 1): 5, (4, 1): 2})
    assert r.atypiques == {4}
    assert r.global_ == pytest.approx(81.25)


def test_sans_note_pas_de_score():
    r = calculer(DEUX_MATRICES, {})
    assert r.global_ is None and r.ecart is None and r.matrices == {}
