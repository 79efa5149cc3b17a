"""Deep list pages: cursors of « page suivante / précédente » give the rows of the OFFSET
pages, with ties on the sort key, in both directions; ``?page=N`` still answers; sorting,
filters, search and scoping are kept; the fiche list reads its index."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select, text

from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction
from tet import pagination

CC = "200099901"


def _fiches(app, n: int, siren: str = CC, prefix: str = "Liste") -> int:
    """``n`` fiches with many equal titles and statuts (ties on every sort key)."""
    with app.app_context():
        cid = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == siren))
        db.session.add_all([FicheAction(
            collectivite_id=cid, titre=f"{prefix} {i % 4}",
            statut=["a_venir", "en_cours", "realise"][i % 3]) for i in range(n)])
        db.session.commit()
        return cid


def _expected(app, cid: int, order_by: str) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(text(
            f"SELECT id FROM fiche_action WHERE collectivite_id = :c AND deleted_at IS NULL "
            f"ORDER BY {order_by}"), {"c": cid}))


def _rows(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'name="rowid"[^>]*value="(\d+)"',
                                       response.get_data(as_text=True))]


def _link(response, cursor: str) -> str | None:
    found = re.search(rf'class="page-link" href="([^"]*{cursor}=[^"]*)"',
                      response.get_data(as_text=True))
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("query,order_by", [
    ("", "titre COLLATE tet_fr, id"),  # text in French order (tet.tri)
    ("sort=1&desc=1&", "statut COLLATE tet_fr DESC, id DESC"),  # column 1 of column_sortable_list: statut
])
def test_cursor_pages_are_the_offset_pages_both_ways(app, login_as, query, order_by):
    cid = _fiches(app, 70)
    expected = _expected(app, cid, order_by)
    pages = [expected[i:i + 20] for i in range(0, len(expected), 20)]
    client = login_as("admin_cc")
    response = client.get(f"/admin/fiche/?{query}page_size=20")
    seen = [_rows(response)]
    while (link := _link(response, "apres")) is not None:
        response = client.get(link)
        seen.append(_rows(response))
    assert seen[:-1] == pages[:len(seen) - 1] and seen[-1] in (pages[-1], [])
    assert len([p for p in seen if p]) == len(pages)
    response = client.get(f"/admin/fiche/?{query}page={len(pages) - 1}&page_size=20")
    back = [_rows(response)]
    while (link := _link(response, "avant")) is not None:
        response = client.get(link)
        back.append(_rows(response))
    assert back[::-1] == pages[1:]  # page 0 is reached without a cursor (OFFSET 0)
    for number, rows in enumerate(pages):  # scripted ?page=N, from either end
        assert _rows(client.get(f"/admin/fiche/?{query}page={number}&page_size=20")) == rows


def test_search_and_filters_follow_the_cursor(app, login_as):
    cid = _fiches(app, 30, prefix="Cherchée")
    client = login_as("admin_cc")
    expected = [i for i in _expected(app, cid, "titre COLLATE tet_fr, id")
                if i in _expected_search(app, cid)]
    first = client.get("/admin/fiche/?search=Cherchée&page_size=20")
    second = client.get(_link(first, "apres"))
    assert _rows(first) + _rows(second) == expected
    en_cours = client.get("/admin/fiche/?statut=en_cours&page_size=20")
    assert _link(en_cours, "apres") is None or "statut=en_cours" in _link(en_cours, "apres")


def _expected_search(app, cid):
    with app.app_context():
        return set(db.session.scalars(text(
            "SELECT id FROM fiche_action WHERE collectivite_id = :c AND titre LIKE 'Cherch%'"),
            {"c": cid}))


def test_a_crafted_cursor_stays_in_scope(app, login_as):
    cid = _fiches(app, 10)
    other = _fiches(app, 10, siren="216890103", prefix="Autre")
    client = login_as("admin_cc")
    for key in [("", 0), ("Autre 0", 10**9), ("zzz", -1)]:
        token = pagination.encode("titre:0", key)
        for cursor in ("apres", "avant"):
            ids = _rows(client.get(f"/admin/fiche/?page=1&{cursor}={token}"))
            assert not set(ids) & set(_expected(app, other, "id"))
            assert set(ids) <= set(_expected(app, cid, "id"))


@pytest.mark.parametrize("token", ["xyz", "!!", pagination.encode("titre:0", (1, 2)),
                                   pagination.encode("statut:0", ("a", 1)),
                                   pagination.encode("titre:0", ("a", True)), "A" * 3000])
def test_a_malformed_cursor_is_ignored(app, login_as, token):
    cid = _fiches(app, 30)
    client = login_as("admin_cc")
    rows = _rows(client.get(f"/admin/fiche/?page=1&page_size=20&apres={token}"))
    assert rows == _expected(app, cid, "titre COLLATE tet_fr, id")[20:40]


def test_sort_links_do_not_carry_the_cursor(app, login_as):
    _fiches(app, 30)
    client = login_as("admin_cc")
    page = client.get(f"/admin/fiche/?page=1&page_size=20&apres="
                      f"{pagination.encode('titre:0', ('Liste 1', 1))}")
    body = page.get_data(as_text=True)
    sort_links = re.findall(r'href="([^"]*sort=[^"]*)"', body)
    assert sort_links and not any("apres=" in s or "avant=" in s for s in sort_links)


def test_fiche_list_query_count_does_not_grow(app, login_as):
    client = login_as("admin_cc")
    _fiches(app, 5)
    client.get("/admin/fiche/")  # warm-up
    with count_queries(app) as small:
        client.get("/admin/fiche/?page=0")
    _fiches(app, 300)
    with count_queries(app) as big:
        assert client.get("/admin/fiche/?page=3").status_code == 200
    assert small["n"] == big["n"]


def test_fiche_list_reads_its_index(app):
    """SQLite (whose planner has no statistics here) walks the list index in order, with no
    sort of the collectivité's fiches, and counts them from an index alone."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("plan SQLite")
        where = "WHERE collectivite_id = 1 AND deleted_at IS NULL"
        plans = [" ".join(r[-1] for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {q}")))
                 for q in (f"SELECT * FROM fiche_action {where} ORDER BY titre COLLATE tet_fr, id LIMIT 50",
                           f"SELECT count(*) FROM fiche_action {where}")]
    assert "ix_fiche_action_liste_fr" in plans[0] and "TEMP B-TREE" not in plans[0]
    assert "COVERING INDEX ix_fiche_action_collectivite_id (collectivite_id=? AND deleted_at=?)" \
        in plans[1]


def test_member_fiches_are_found_through_their_collectivite(app):
    """The déclinaison picker (shareable fiches of the members) starts from the members,
    not from the 95 % of fiches that are not confidential."""
    from tet.plans.liens import visible_to_supra

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("plan SQLite")
        query = select(FicheAction.id).where(visible_to_supra(1))
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(r[-1] for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert re.search(r"fiche_action USING (COVERING )?INDEX ix_fiche_action_(liste|collectivite_id)"
                     r" \(collectivite_id=\?", plan), plan
    assert "ix_fiche_action_confidentiel" not in plan


def test_a_column_with_nulls_pages_by_number(app, login_as):
    """Fin prévisionnelle may be empty: its pages are counted (no cursor), still right."""
    cid = _fiches(app, 45)
    with app.app_context():
        db.session.execute(text("UPDATE fiche_action SET date_fin = '2030-01-01' "
                                "WHERE collectivite_id = :c AND id % 2 = 0"), {"c": cid})
        db.session.commit()
        nulls = "NULLS FIRST" if db.engine.dialect.name == "sqlite" else "NULLS LAST"
    expected = _expected(app, cid, f"date_fin {nulls}, id")
    client = login_as("admin_cc")
    first = client.get("/admin/fiche/?sort=4&page_size=20")  # column 4: date_fin
    assert _link(first, "apres") is None
    pages = [_rows(client.get(f"/admin/fiche/?sort=4&page={n}&page_size=20"))
             for n in range(-(-len(expected) // 20))]
    assert sum(pages, []) == expected
