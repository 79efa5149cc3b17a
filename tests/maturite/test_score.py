"""The maturity index on hand-computed cases."""
from __future__ import annotations

from tet.maturite.score import Q, letter_for, score

YES_NO = {"oui": 3, "non": 0, "nsp": 0}
QUESTIONS = [
    Q("G1", 1, "gouvernance", YES_NO),
    Q("G2", 1, "gouvernance", YES_NO, parent="G1", parent_reponse="oui"),
    Q("S1", 1, "sensibilisation", {"oui": 2, "non": 0, "nsp": 0}),
    Q("P1", 1, "parc", {"reemploi_interne": 3, "don": 3, "recyclage": 0, "nsp": 0}),
    Q("U1", 1, "usages", {"oui": 1, "non": 0, "nsp": 0}),
    Q("N2a", 2, "gouvernance", {"oui": 2, "non": 0, "nsp": 0}),
    Q("N2b", 2, "aller_plus_loin", {"plus_75": 3, "moins_25": 0}),
    Q("N2t", 2, "gouvernance", {}),  # a text question: informative, scores nothing
]


def test_perfect_niveau1_reaches_100_and_a():
    s = score(QUESTIONS, {"G1": "oui", "G2": "oui", "S1": "oui", "P1": "don", "U1": "oui"},
              niveau2=False)
    assert (s.indice, s.letter, s.progression, s.officiel) == (100, "A", 100, True)


def test_child_question_out_of_scope_without_trigger():
    # G1 non → G2 not asked: best = 3 + 2 + 3 + 1 = 9; points = 0 + 2 + 3 + 1 = 6 → 66
    s = score(QUESTIONS, {"G1": "non", "S1": "oui", "P1": "reemploi_interne", "U1": "oui"},
              niveau2=False)
    assert s.indice == 66 and s.letter == "C" and s.officiel
    assert s.categories["gouvernance"].indice == 0
    assert s.categories["gouvernance"].in_scope == 1


def test_choice_answers_and_je_ne_sais_pas():
    # G1 oui G2 nsp S1 nsp P1 recyclage U1 oui: points 3 + 0 + 0 + 0 + 1 = 4 / 12 → 33
    s = score(QUESTIONS, {"G1": "oui", "G2": "nsp", "S1": "nsp", "P1": "recyclage", "U1": "oui"},
              niveau2=False)
    assert (s.indice, s.letter, s.progression) == (33, "E", 100)
    assert s.categories["parc"].indice == 0 and s.categories["usages"].indice == 100


def test_provisional_until_everything_in_scope_is_answered():
    s = score(QUESTIONS, {"G1": "oui", "S1": "oui"}, niveau2=False)
    # in scope: G1, G2 (triggered), S1, P1, U1 = 5; answered 2 → 40 %; points 5 / best 12 → 41
    assert (s.progression, s.officiel, s.indice) == (40, False, 41)


def test_niveau2_switch_changes_scope():
    answers = {"G1": "oui", "G2": "oui", "S1": "oui", "P1": "don", "U1": "oui"}
    s = score(QUESTIONS, answers, niveau2=True)
    # + N2a (best 2), N2b (best 3), N2t (best 0): best 12 + 5 = 17, points 12 → 70; 5/8 answered
    assert (s.indice, s.progression, s.officiel) == (70, 62, False)
    assert s.categories["aller_plus_loin"].progression == 0
    s = score(QUESTIONS, answers | {"N2a": "oui", "N2b": "plus_75", "N2t": "texte"}, niveau2=True)
    assert (s.indice, s.officiel, s.letter) == (100, True, "A")


def test_letter_thresholds_are_configurable():
    assert [letter_for(i) for i in (100, 99, 98, 80, 79, 60, 40, 39, 0)] == \
        ["A", "A", "B", "B", "C", "C", "D", "E", "E"]
    assert letter_for(None) is None
    assert letter_for(75, (("A", 90), ("B", 70))) == "B"
    assert letter_for(10, (("A", 90), ("B", 70))) == "E"
