"""The fiche page runs the same queries for a fiche filed once or in many plans, deep down;
its déclinaisons block reads each side once."""
from __future__ import annotations

from sqlalchemy import select

from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction
from tet.plans import emplacements, arbre


def _fiche(app, places: int, depth: int) -> int:
    """A fiche of the CC filed in ``places`` plans, each time ``depth`` axes down."""
    with app.app_context():
        cid = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == "200099901"))
        fiche = FicheAction(collectivite_id=cid, titre=f"Rangée {places}×{depth}")
        db.session.add(fiche)
        db.session.flush()
        axes = set()
        for p in range(places):
            plan = arbre.create_plan(cid, f"Plan {places}-{p}", "pcaet")
            axe = None
            for d in range(depth):
                axe = arbre.add_axe(plan, f"Niveau {d}", axe)
            axes.add(axe.id)
        arbre.ranger(fiche, axes)
        db.session.commit()
        return fiche.id



def test_fiche_page_queries_do_not_grow_with_places(app, login_as):
    small, big = _fiche(app, 1, 1), _fiche(app, 4, 5)
    client = login_as("admin_cc")
    counts = []
    for fid in (small, big):
        client.get(f"/admin/fiche/{fid}")  # warm-up
        with sql_sent(app) as seen:
            response = client.get(f"/admin/fiche/{fid}")
        assert response.status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], f"{counts[0]} requêtes pour 1 emplacement, {counts[1]} pour 4"
    assert "Niveau 0 › Niveau 1 › Niveau 2 › Niveau 3 › Niveau 4" in response.get_data(as_text=True)


def test_paths_of_the_places(app):
    fid = _fiche(app, 2, 3)
    with app.app_context():
        found = [(plan.nom, path) for plan, path in emplacements.chemins(fid)]
    assert found == [("Plan 2-0", ["Niveau 0", "Niveau 1", "Niveau 2"]),
                     ("Plan 2-1", ["Niveau 0", "Niveau 1", "Niveau 2"])]


def test_declinaisons_block_reads_each_side_once(app, login_as):
    fid = _fiche(app, 1, 1)
    client = login_as("admin_cc")
    client.get(f"/admin/fiche/{fid}")
    with sql_sent(app) as seen:
        assert client.get(f"/admin/fiche/{fid}").status_code == 200
    assert len([s for s, _p in seen if "JOIN declinaison" in s]) == 2
