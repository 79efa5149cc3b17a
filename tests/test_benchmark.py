"""The maturity benchmark publishes a group only with enough other collectivités."""
from __future__ import annotations

import html

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import Snapshot
from tet.maturite import benchmark, questionnaire as maturite

MESSAGE = "Pas assez de collectivités comparables (moins de 5) pour publier ce groupe."


def _peers(app, cc_id, n, indice=62):
    """``n`` other CC of the CC's type, band and département with an official index, and an
    official index for the CC itself."""
    with app.app_context():
        version = maturite.active_version()
        for i in range(n):
            c = builders.collectivite(f"CC pair {i}", "cc", "67", population=20_000 + i)
            db.session.add(Snapshot(collectivite_id=c.id, version_id=version.id,
                                    indice=indice + i, officiel=True, progression=100))
        db.session.add(Snapshot(collectivite_id=cc_id, version_id=version.id, indice=70,
                                officiel=True, progression=100))
        db.session.commit()


def _groups(app, cc_id):
    with app.app_context():
        return benchmark.benchmark(db.session.get(Collectivite, cc_id))


def test_a_group_with_one_other_is_not_published(app, login_as, ids):
    """The audit's case: one other collectivité's index must not be readable."""
    _peers(app, ids["cc"], 1)
    for g in _groups(app, ids["cc"]):
        assert not g.publie
        assert (g.count, g.median, g.q1, g.q3, g.percentile) == (None,) * 5
    page = html.unescape(login_as("admin_cc").get("/admin/maturite/").get_data(as_text=True))
    assert page.count(MESSAGE) == 2
    assert "62" not in page.split("Comparaison")[1].split("</table>")[0]


def test_a_group_with_five_others_is_published(app, login_as, ids):
    _peers(app, ids["cc"], 5)  # 62..66 and the CC's 70
    type_band, dep = _groups(app, ids["cc"])
    assert type_band.publie and type_band.count == 6 and type_band.median == 64.5
    assert type_band.percentile == 100
    assert dep.publie and dep.count == 6
    page = html.unescape(login_as("admin_cc").get("/admin/maturite/").get_data(as_text=True))
    assert MESSAGE not in page and "64,5" in page  # the French formatter


def test_the_threshold_is_configurable(app, ids, monkeypatch):
    _peers(app, ids["cc"], 2)
    monkeypatch.setitem(app.config, "BENCHMARK_MIN_GROUPE", 2)
    assert all(g.publie for g in _groups(app, ids["cc"]))
    monkeypatch.setitem(app.config, "BENCHMARK_MIN_GROUPE", 3)
    assert not any(g.publie for g in _groups(app, ids["cc"]))
