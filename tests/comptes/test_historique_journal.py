"""The audit log page: one entry per save, filters (object, person, dates, action) that never
widen the scope, keyset pages, a bounded number of queries."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from tests.sql_spy import sql_sent
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, User
from tet.extensions import db
from tet.plans.models import FicheAction, Plan

URL = "/admin/auditlog/"


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _save(app, cid, user_email, titre, n_rows=1, at=None, **extra):
    """One save of ``n_rows`` rows about plans of ``cid``."""
    lot = str(uuid.uuid4())
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == user_email)) \
            if user_email else None
        plan = db.session.scalar(select(Plan).where(Plan.collectivite_id == cid))
        for i in range(n_rows):
            db.session.add(AuditLog(
                at=at or datetime.now(timezone.utc), user_id=user.id if user else None,
                user_email=user_email, action="update", object_type="Plan",
                object_id=plan.id if plan else None, object_repr=f"{titre} {i}" if i else titre,
                collectivite_id=cid, changes={"nom": ["avant", titre],
                                              "collectivite_id": [None, cid]},
                lot=lot, **extra))
        db.session.commit()
    return lot


def test_page_reads_in_french_one_entry_per_save(app, ids, login_as):
    _save(app, ids["cc"], "edition.cc@tet.test", "Plan climat révisé", n_rows=3)
    page = _text(login_as("admin_cc").get(URL))
    assert page.count("Modification du plan « Plan climat révisé »") == 1
    assert "… et 2 autres modifications dans cet enregistrement" not in page  # all 3 shown
    assert "Collectivité : — → CC du Val Démo" in page
    assert "collectivite_id" not in page and "∅" not in page
    assert "Édouard Édition" in page and "edition.cc@tet.test" in page


def test_filters_by_object_person_date_and_action(app, ids, login_as):
    _save(app, ids["cc"], "edition.cc@tet.test", "Mobilité douce")
    _save(app, ids["cc"], "admin.cc@tet.test", "Alimentation locale",
          at=datetime(2025, 1, 15, 10, tzinfo=timezone.utc))
    client = login_as("admin_cc")
    page = _text(client.get(URL, query_string={"objet": "mobilité"}))
    assert "Mobilité douce" in page and "Alimentation locale" not in page
    page = _text(client.get(URL, query_string={"personne": "Édouard"}))
    assert "Mobilité douce" in page and "Alimentation locale" not in page
    page = _text(client.get(URL, query_string={"du": "2025-01-01", "au": "2025-01-31"}))
    assert "Alimentation locale" in page and "Mobilité douce" not in page
    page = _text(client.get(URL, query_string={"type": "Plan", "action": "update"}))
    assert "Alimentation locale" in page and "Mobilité douce" in page
    page = _text(client.get(URL, query_string={"action": "delete", "objet": "mobilité"}))
    assert "Aucune modification ne correspond à ces filtres" in page
    page = _text(client.get(URL, query_string={"du": "31/02/2025", "type": "<script>"}))
    assert "La date « du » n’est pas valide" in page


def test_filters_never_leak_another_collectivite(app, ids, login_as):
    _save(app, ids["ville"], "admin.ville@tet.test", "Plan secret de la ville")
    with app.app_context():
        plan_ville = db.session.scalar(select(Plan.id).where(
            Plan.collectivite_id == ids["ville"]))
    client = login_as("admin_cc")
    for query in ({"objet": "secret"}, {"objet": str(plan_ville)},
                  {"personne": "admin.ville"}, {"type": "Plan"}, {"search": "secret"},
                  {"du": "2000-01-01", "au": "2100-01-01"}):
        page = _text(client.get(URL, query_string=query))
        assert "Plan secret" not in page and "admin.ville@tet.test" not in page, query
    page = _text(login_as("support").get(URL, query_string={"objet": "secret"}))
    assert "Plan secret de la ville" in page
    for who in ("edition_cc", "lecture_cc"):
        assert login_as(who).get(URL, query_string={"objet": "secret"}).status_code == 403


def test_system_and_command_are_named(app, ids, login_as):
    _save(app, ids["cc"], None, "Plan du système")
    _save(app, ids["cc"], None, "Plan de la commande", context="flask seed --demo")
    page = _text(login_as("admin_cc").get(URL, query_string={"type": "Plan"}))
    assert re.search(r"système .{0,40}Modification du plan « Plan du système »", page)
    assert re.search(r"flask seed --demo .{0,40}Modification du plan « Plan de la commande »",
                     page)


def test_keyset_pages(app, ids, login_as):
    base = datetime(2024, 6, 1, tzinfo=timezone.utc)
    for i in range(35):
        _save(app, ids["cc"], "admin.cc@tet.test", f"Page {i:02d}",
              at=base + timedelta(minutes=i))
    client = login_as("admin_cc")
    query = {"du": "2024-06-01", "au": "2024-06-01"}
    first = client.get(URL, query_string=query).get_data(as_text=True)
    assert "Page 34" in first and "Page 05" in first and "Page 04" not in first
    suite = re.search(r'href="([^"]+)">Plus anciennes', first).group(1).replace("&amp;", "&")
    second = _text(client.get(suite))
    assert "Page 04" in second and "Page 00" in second and "Page 05" not in second


def test_history_page_queries_do_not_grow_with_entries(app, ids, login_as):
    """Names are read once per kind for the page: no query per entry."""
    client = login_as("support")
    _save(app, ids["cc"], "admin.cc@tet.test", "Premier")
    with sql_sent(app) as sent:
        client.get(URL).get_data()
    few = len(sent)
    with app.app_context():
        colls = list(db.session.scalars(select(Collectivite.id)))
        users = list(db.session.scalars(select(User.email)))
    for i in range(25):
        _save(app, colls[i % len(colls)], users[i % len(users)], f"Autre {i}")
    with sql_sent(app) as sent:
        client.get(URL).get_data()
    assert len(sent) <= few + 1, [s for s, _p in sent]


def test_fiche_history_queries_are_bounded(app, ids, login_as):
    from tet.comptes import audit
    from tet.plans import fiches as fiche_service

    with app.app_context():
        fiche = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == ids["cc"]).order_by(FicheAction.id))
        fid = fiche.id
    client = login_as("admin_cc")
    with sql_sent(app) as sent:
        client.get(f"/admin/fiche/{fid}").get_data()
    before = len(sent)
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        for i in range(6):
            with audit.acting_as(db.session.get(User, ids["users"]["edition.cc@tet.test"])):
                fiche_service.save_fiche(fiche, {"titre": f"Titre {i}",
                                                 "statut": "en_cours" if i % 2 else "bloque"},
                                         None)
                db.session.commit()
    with sql_sent(app) as sent:
        client.get(f"/admin/fiche/{fid}").get_data()
    assert len(sent) <= before + 1
