"""Tree page, dashboards and calendar run the same number of queries for 5 or 500 fiches."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.plans.models import FicheAction
from tet.plans.models import fiche_axe, fiche_pilote_user, fiche_tag
from tet.plans import agregats as plan_agregats, arbre
from tet.plans.fiches import get_or_create_tags


def _plan(app, n_fiches: int, n_axes: int) -> int:
    """A plan of ``n_axes`` axes (two levels) holding ``n_fiches`` fiches with pilotes."""
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == "200099901"))
        user = db.session.scalar(select(User).where(User.email == "edition.cc@tet.test"))
        plan = arbre.create_plan(coll.id, f"Plan {n_fiches}", "pcaet")
        axes, parent = [], None
        for i in range(n_axes):
            parent_axe = parent if i % 4 else None
            axe = arbre.add_axe(plan, f"Axe {i}", parent_axe)
            parent = axe if i % 4 == 0 else parent
            axes.append(axe)
        tag = get_or_create_tags(coll.id, "personne", ["Pilote externe"])[0]
        db.session.flush()
        fiches = [FicheAction(collectivite_id=coll.id, titre=f"Fiche {i:04d}",
                              statut=["a_venir", "en_cours", "realise"][i % 3],
                              priorite="moyen", date_debut=date(2024, 1, 1),
                              date_fin=date(2025 + i % 3, 6, 1)) for i in range(n_fiches)]
        db.session.add_all(fiches)
        db.session.flush()
        db.session.execute(insert(fiche_axe), [{"fiche_id": f.id, "axe_id": axes[i % n_axes].id}
                                               for i, f in enumerate(fiches)])
        plan_agregats.rebuild()  # Core writes keep the maintained aggregates themselves
        db.session.execute(insert(fiche_pilote_user), [{"fiche_id": f.id, "user_id": user.id}
                                                       for f in fiches])
        db.session.execute(insert(fiche_tag), [{"fiche_id": f.id, "tag_id": tag.id}
                                               for f in fiches])
        db.session.commit()
        return plan.id


@pytest.mark.parametrize("page", ["arbre", "tableau-de-bord", "calendrier"])
def test_plan_pages_have_bounded_queries(app, login_as, page):
    small, big = _plan(app, 5, 40), _plan(app, 500, 40)
    client = login_as("lecture_cc")
    counts = []
    for plan_id in (small, big):
        client.get(f"/admin/plan/{plan_id}/{page}")  # warm-up (first request caches)
        with count_queries(app) as counter:
            response = client.get(f"/admin/plan/{plan_id}/{page}")
        assert response.status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1], f"{page}: {counts[0]} requêtes pour 5 fiches, {counts[1]} pour 500"


def test_collectivite_dashboard_has_bounded_queries(app, login_as):
    client = login_as("lecture_cc")
    _plan(app, 5, 40)
    client.get("/admin/plan/tableau-de-bord")  # warm-up
    with count_queries(app) as small:
        client.get("/admin/plan/tableau-de-bord")
    _plan(app, 400, 40)  # (selectinload batches 500 ids per query: stay under one batch)
    with count_queries(app) as big:
        assert client.get("/admin/plan/tableau-de-bord").status_code == 200
    assert small["n"] == big["n"]
