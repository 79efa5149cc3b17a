"""The shipped questionnaire v2 (seeds/maturite/v2) follows every rule of its format
(``tet.maturite.contenu``): help, legal basis, detailed recommendations, public sources,
no repeated text. The rules themselves are tested in test_contenu_regles.py."""
from __future__ import annotations

import pytest

from seeds.maturite import FOLDER, read
from tet.maturite import contenu

MONTRES = 40  # messages shown when a rule breaks


@pytest.fixture(scope="module")
def resultats() -> dict[str, list[str]]:
    return contenu.controles(read(FOLDER / "v2"))


@pytest.mark.parametrize("regle", ["aides", "recommandations", "urls", "repetitions",
                                   "questions", "niveau1", "codes"])
def test_shipped_v2_content_follows_the_rule(resultats, regle):
    erreurs = resultats[regle]
    assert not erreurs, f"{len(erreurs)} écart(s) à la règle « {regle} » :\n" + "\n".join(
        erreurs[:MONTRES])
