"""The current index table equals « the latest snapshot and the latest official snapshot of
each collectivité » whatever happens to the history (random sequences, replayed by seed:
hypothesis is not installed), and the migration backfills it from an existing history."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import IndiceCategorie, IndiceCourant, QuestionnaireVersion, Snapshot
from tet.maturite import questionnaire as maturite, indice as maturite_indice


def expected() -> dict:
    """The straightforward computation, in Python, from the whole history."""
    result: dict[int, dict] = {}
    for s in db.session.scalars(select(Snapshot).order_by(Snapshot.id)):
        row = result.setdefault(s.collectivite_id, {"officiel_snapshot_id": None,
                                                    "indice_officiel": None,
                                                    "lettre_officielle": None})
        row.update(snapshot_id=s.id, indice=s.indice, lettre=s.lettre, version_id=s.version_id,
                   progression=s.progression, officiel=s.officiel,
                   categories={k: v.get("indice") for k, v in (s.par_categorie or {}).items()})
        if s.officiel:
            row.update(officiel_snapshot_id=s.id, indice_officiel=s.indice,
                       lettre_officielle=s.lettre)
    return result


def actual() -> dict:
    db.session.expire_all()
    cats: dict[int, dict] = {}
    for c in db.session.scalars(select(IndiceCategorie)):
        cats.setdefault(c.collectivite_id, {})[c.categorie_code] = c.indice
    return {i.collectivite_id: {
        "snapshot_id": i.snapshot_id, "indice": i.indice, "lettre": i.lettre,
        "version_id": i.version_id, "progression": i.progression, "officiel": i.officiel,
        "officiel_snapshot_id": i.officiel_snapshot_id, "indice_officiel": i.indice_officiel,
        "lettre_officielle": i.lettre_officielle, "categories": cats.get(i.collectivite_id, {})}
        for i in db.session.scalars(select(IndiceCourant))}


def _snapshot(rng, cid: int, versions: list[int]) -> Snapshot:
    indice = rng.choice([None, *range(0, 101, 7)])
    snap = Snapshot(collectivite_id=cid, version_id=rng.choice(versions), indice=indice,
                    lettre=rng.choice("ABCDE") if indice is not None else None,
                    progression=rng.randrange(101), officiel=rng.random() < 0.4,
                    par_categorie={code: {"indice": rng.choice([None, rng.randrange(101)]),
                                          "progression": 50}
                                   for code in rng.sample(["gouv", "achats", "parc"],
                                                          rng.randrange(4))})
    db.session.add(snap)
    return snap


@pytest.mark.parametrize("seed", range(12))
def test_table_is_the_latest_and_latest_official_snapshot_after_any_history(app, seed):
    rng = random.Random(seed)
    with app.app_context():
        first = maturite.active_version().id
        second = QuestionnaireVersion(numero=900 + seed, active=False)
        db.session.add(second)
        db.session.flush()
        colls = [builders.collectivite(f"Commune aléatoire {seed}-{i}").id for i in range(4)]
        snaps: list[tuple[Snapshot, int]] = []
        for _step in range(rng.randrange(5, 25)):
            action = rng.random()
            if action < 0.75 or not snaps:
                cid = rng.choice(colls)
                snaps.append((_snapshot(rng, cid, [first, second.id]), cid))
            elif action < 0.9:  # a snapshot goes (none does today; the table would follow)
                db.session.flush()  # several pending inserts are flushed together
                db.session.delete(snaps.pop(rng.randrange(len(snaps)))[0])
            else:  # a collectivité goes with its history (refused account)
                cid = colls.pop(rng.randrange(len(colls)))
                db.session.flush()
                db.session.execute(Collectivite.__table__.delete().where(
                    Collectivite.id == cid))
                snaps = [(s, c) for s, c in snaps if c != cid]
                db.session.expire_all()
                if not colls:
                    colls.append(builders.collectivite(f"Commune de relève {seed}").id)
            if rng.random() < 0.3:
                db.session.commit()
        db.session.commit()
        assert actual() == expected()
        # the SQL rebuild (seed --scale, migration) gives the same table
        maturite_indice.rebuild(db.session.connection())
        assert actual() == expected()


def test_answering_keeps_the_table_in_the_same_transaction(app, login_as, ids):
    client = login_as("admin_cc")
    for code, option in (("G1", "oui"), ("G2", "oui"), ("S1", "oui"), ("P1", "recyclage"),
                         ("U1", "oui")):
        with app.app_context():
            q = db.session.scalar(text("SELECT id FROM mat_question WHERE code = :c"),
                                  {"c": code})
        client.post("/admin/maturite/repondre", data={"question_id": q, "version": 0,
                                                      "option": option})
    with app.app_context():
        row = db.session.get(IndiceCourant, ids["cc"])
        assert (row.indice_officiel, row.lettre_officielle, row.officiel) == (75, "C", True)
        assert actual() == expected()
        # niveau 2 on: the new latest snapshot is provisional, the official index stays
        cc = db.session.get(Collectivite, ids["cc"])
        cc.niveau2_actif = True
        maturite.snapshot(cc)
        db.session.commit()
        row = db.session.get(IndiceCourant, ids["cc"])
        assert row.officiel is False and row.indice_officiel == 75
        assert actual() == expected()


def test_migration_backfills_the_table_from_the_history(tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production-0123",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a20.sqlite3'}"})
    with app.app_context():
        upgrade(revision="a18_listes")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO mat_version (id, numero, active, created_at) "
                              "VALUES (1, 1, 1, CURRENT_TIMESTAMP), "
                              "(2, 2, 0, CURRENT_TIMESTAMP)"))
            for cid in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO collectivite (id, nom, type, siren, niveau2_actif, created_at)"
                    " VALUES (:i, :n, 'commune', :s, 0, CURRENT_TIMESTAMP)"),
                    {"i": cid, "n": f"C{cid}", "s": f"21670001{cid}"})
            history = [  # id, collectivité, version, indice, lettre, officiel, categories
                (1, 1, 1, 40, "D", 1, '{"gouv": {"indice": 40, "progression": 100}}'),
                (2, 1, 1, 80, "B", 1, '{"gouv": {"indice": 80, "progression": 100}}'),
                (3, 1, 2, 30, "E", 0, '{"gouv": {"indice": 30, "progression": 50}, '
                                      '"parc": {"indice": null, "progression": 0}}'),
                (4, 2, 1, 10, "E", 0, '{}'),
            ]
            for sid, cid, version, indice, lettre, officiel, cats in history:
                conn.execute(text(
                    "INSERT INTO mat_snapshot (id, collectivite_id, at, version_id, niveau2, "
                    "indice, lettre, progression, officiel, par_categorie) VALUES "
                    "(:i, :c, CURRENT_TIMESTAMP, :v, 0, :x, :l, 50, :o, :p)"),
                    {"i": sid, "c": cid, "v": version, "x": indice, "l": lettre,
                     "o": officiel, "p": cats})
        upgrade(revision="a20_indice")
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT collectivite_id, snapshot_id, version_id, indice, officiel, "
                "officiel_snapshot_id, indice_officiel, lettre_officielle "
                "FROM mat_indice_courant ORDER BY collectivite_id")).all()
            assert [tuple(r) for r in rows] == [(1, 3, 2, 30, 0, 2, 80, "B"),
                                                (2, 4, 1, 10, 0, None, None, None)]
            cats = conn.execute(text("SELECT collectivite_id, categorie_code, indice FROM "
                                     "mat_indice_categorie ORDER BY categorie_code")).all()
            assert [tuple(c) for c in cats] == [(1, "gouv", 30), (1, "parc", None)]
        downgrade(revision="a18_listes")
        with db.engine.connect() as conn:
            assert "mat_indice_courant" not in {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))}
        db.session.remove()
        db.engine.dispose()
