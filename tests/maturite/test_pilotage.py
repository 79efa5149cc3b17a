"""National dashboard and OPSN space at scale: figures from the current index table equal a
straightforward computation over the history, the OPSN list is paged, sorted, searched and
scoped, and the query counts do not grow with the collectivités."""
from __future__ import annotations

import html
import random
import re
from collections import Counter
from statistics import median

import pytest
from sqlalchemy import select

from tests import builders
from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn
from tet.maturite.models import Snapshot
from tet.maturite import benchmark, questionnaire as maturite, stats as maturite_stats

CATS = ["gouvernance", "sensibilisation", "achats"]


def _history(app, n: int, seed: int = 7, opsn_id: int | None = None, prefix="Commune"):
    """``n`` collectivités with one to four snapshots each (some official, some not),
    attached to ``opsn_id`` when given."""
    rng = random.Random(seed)
    with app.app_context():
        version = maturite.active_version().id
        opsn = db.session.get(Opsn, opsn_id) if opsn_id else None
        for i in range(n):
            c = builders.collectivite(f"{prefix} {i:03d}", rng.choice(["commune", "cc"]),
                                      rng.choice(["67", "68"]), population=1000 + i,
                                      region=rng.choice(["Grand Est", None]))
            if opsn is not None:
                builders.rattachement(c, opsn, "acceptee")
            for _k in range(rng.randrange(0, 4) if i % 5 else 0):
                indice = rng.randrange(101)
                db.session.add(Snapshot(
                    collectivite_id=c.id, version_id=version, indice=indice,
                    lettre="ABCDE"[min(4, (100 - indice) // 20)],
                    progression=rng.randrange(101), officiel=rng.random() < 0.5,
                    par_categorie={code: {"indice": rng.randrange(101), "progression": 80}
                                   for code in rng.sample(CATS, rng.randrange(1, 4))}))
        db.session.commit()


def _by_hand() -> dict:
    latest, official = {}, {}
    for s in db.session.scalars(select(Snapshot).order_by(Snapshot.id)):
        latest[s.collectivite_id] = s
        if s.officiel:
            official[s.collectivite_id] = s
    letters = Counter(s.lettre for s in official.values())
    per_cat: dict[str, list[int]] = {}
    for s in latest.values():
        for code, part in s.par_categorie.items():
            per_cat.setdefault(code, []).append(part["indice"])
    regions = Counter(db.session.get(Collectivite, cid).region or "Non renseignée"
                      for cid in latest)
    return {"commencees": len(latest),
            "letters": [(x, letters[x]) for x in "ABCDE"],
            "progression": Counter(min(s.progression // 25, 3) for s in latest.values()),
            "medians": {code: median(v) for code, v in per_cat.items()},
            "regions": regions}


def test_national_figures_equal_a_straightforward_computation(app):
    _history(app, 60)
    with app.app_context():
        data, expected = maturite_stats.national(), _by_hand()
        names = maturite_stats._cat_names()
        assert data["commencees"] == expected["commencees"] > 0
        assert data["letters"] == expected["letters"]
        assert [n for _label, n in data["progression"]] == [
            expected["progression"][k] for k in range(4)]
        assert data["medians"] == pytest.approx(
            {names.get(code, code): m for code, m in expected["medians"].items()})
        assert {r: n for r, n, _o in data["by_region"]} == expected["regions"]
        assert data["total"] == db.session.scalar(select(db.func.count(Collectivite.id)))


def _rows(page: str) -> list[str]:
    table = page.split('id="opsn-collectivites"')[1].split("</table>")[0]
    return [html.unescape(m) for m in re.findall(r'maturite/\?c=\d+">([^<]+)</a>', table)]


def test_opsn_space_is_paged_by_50_with_the_french_pager(app, login_as, ids):
    _history(app, 120, opsn_id=ids["opsn"], prefix="Commune rattachée")
    client = login_as("opsn_admin")
    first = client.get("/admin/opsn-espace/").get_data(as_text=True)
    assert len(_rows(first)) == 50 and 'class="pagination"' in first
    assert "page 1 sur 3" in first
    last = client.get("/admin/opsn-espace/?page=2").get_data(as_text=True)
    assert len(_rows(last)) == 121 - 100  # 120 + the demo CC
    everyone = set()
    for p in range(3):
        everyone |= set(_rows(client.get(f"/admin/opsn-espace/?page={p}").get_data(
            as_text=True)))
    assert len(everyone) == 121
    for bad in ("abc", "-4", "99999", "1e9"):  # clamped, never a 500
        assert client.get(f"/admin/opsn-espace/?page={bad}&tri=%27&etat=x").status_code == 200


def test_opsn_space_searches_filters_and_sorts(app, login_as, ids):
    _history(app, 40, opsn_id=ids["opsn"], prefix="Commune rattachée")
    client = login_as("opsn_admin")
    found = _rows(client.get("/admin/opsn-espace/?q=rattachée 01").get_data(as_text=True))
    assert found == [f"Commune rattachée 01{i}" for i in range(10)]
    assert _rows(client.get("/admin/opsn-espace/?q=%25").get_data(as_text=True)) == []
    with app.app_context():
        attached = {c.nom: c.indice_courant for c in db.session.scalars(select(Collectivite)
                    .where(Collectivite.nom.like("Commune rattachée%")))}
    by_note = _rows(client.get("/admin/opsn-espace/?tri=note").get_data(as_text=True))
    letters = [attached[n].lettre_officielle for n in by_note if n in attached
               and attached[n] and attached[n].lettre_officielle]
    assert letters == sorted(letters) and letters
    none = _rows(client.get("/admin/opsn-espace/?etat=non_commence").get_data(as_text=True))
    assert none and all(attached.get(n) is None for n in none)
    official = _rows(client.get("/admin/opsn-espace/?etat=officiel").get_data(as_text=True))
    assert official and all(attached[n].lettre_officielle for n in official)
    recent = _rows(client.get("/admin/opsn-espace/?tri=activite").get_data(as_text=True))
    dates = [attached[n].at for n in recent if attached.get(n)]
    assert dates == sorted(dates, reverse=True)


def test_opsn_space_lists_only_the_collectivites_attached_to_this_opsn(app, login_as, ids):
    with app.app_context():
        other = builders.opsn("OPSN voisin", ["67"])
        mine = db.session.get(Opsn, ids["opsn"])
        for nom, opsn, statut in (("Commune de l'autre OPSN", other, "acceptee"),
                                  ("Commune en attente", mine, "demandee"),
                                  ("Commune partie", mine, "terminee")):
            builders.rattachement(builders.collectivite(nom), opsn, statut)
        db.session.commit()
    client = login_as("opsn_admin")
    for url in ("/admin/opsn-espace/", "/admin/opsn-espace/?q=Commune",
                "/admin/opsn-espace/?etat=non_commence&tri=activite"):
        rows = _rows(client.get(url).get_data(as_text=True))
        assert not {"Commune de l'autre OPSN", "Commune en attente", "Commune partie"} & set(rows)
    assert _rows(client.get("/admin/opsn-espace/").get_data(as_text=True)) == ["CC du Val Démo"]


def test_pages_run_the_same_queries_when_collectivites_and_history_grow(app, login_as, ids):
    pages = [("support", "/admin/maturite-nationale/"), ("support", "/admin/"),
             ("opsn_admin", "/admin/opsn-espace/"), ("opsn_admin", "/admin/opsn-espace/?tri=note"),
             ("opsn_admin", "/admin/rattachement/"), ("opsn_admin", "/admin/"),
             ("opsn_admin", "/admin/rattachement/?sort=3"),
             ("admin_cc", "/admin/maturite/")]
    clients = {who: login_as(who) for who in {w for w, _u in pages}}
    _history(app, 5, seed=1, opsn_id=ids["opsn"], prefix="Petite")
    small = {}
    for who, url in pages:
        with count_queries(app) as n:
            assert clients[who].get(url).status_code == 200
        small[who, url] = n["n"]  # "/admin/" is two homes: support's and the OPSN's
    _history(app, 80, seed=2, opsn_id=ids["opsn"], prefix="Grande")
    for who, url in pages:
        with count_queries(app) as n:
            assert clients[who].get(url).status_code == 200
        assert n["n"] == small[who, url], f"{who} {url} : {small[who, url]} requêtes → {n['n']}"


def test_rattachement_list_shows_and_sorts_by_the_official_letter(app, login_as, ids):
    _history(app, 30, opsn_id=ids["opsn"], prefix="Commune rattachée")
    client = login_as("opsn_admin")
    page = client.get("/admin/rattachement/?sort=3").get_data(as_text=True)
    assert "Note de maturité" in page and "Dernière activité" in page
    shown = re.findall(r'badge tet-bg-([A-E])">', page)
    assert shown and shown == sorted(shown)


@pytest.mark.parametrize("seed", range(20))
def test_quantiles_from_counts_are_those_of_the_values(seed):
    from statistics import quantiles

    rng = random.Random(seed)
    values = [rng.randrange(101) for _i in range(rng.randrange(2, 40))]
    histogram = sorted(Counter(values).items())
    assert benchmark.quantile(histogram, 2) == median(values)
    q1, _q2, q3 = quantiles(values, n=4, method="inclusive")  # 'type 7'
    assert benchmark.quantile(histogram, 1) == pytest.approx(q1)
    assert benchmark.quantile(histogram, 3) == pytest.approx(q3)


def test_opsn_home_lists_a_bounded_part_of_the_attached_collectivites(app, login_as, ids):
    _history(app, 30, opsn_id=ids["opsn"], prefix="Commune rattachée")
    page = html.unescape(login_as("opsn_admin").get("/admin/").get_data(as_text=True))
    listed = page.split('id="bloc-accompagnees"')[1].split("</table>")[0]
    assert listed.count("<tr>") == 1 + 10  # the header and the ten most recently active
    assert "Voir toutes les collectivités accompagnées (31)" in page
