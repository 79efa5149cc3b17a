"""Synthetic national-scale activity for load tests: ``flask --app app seed --scale N``.

``generate(factor)`` adds, on top of the reference data, ``factor`` × the national size
(factor 1 = N 100: 200,000 fiches, 2,000,000 indicator values, 10,000 questionnaires with
history, users and memberships, an OPSN with 2,000 attached collectivités, a 2,000-axe plan,
one collectivité with 100,000 fiches). Core bulk inserts with explicit ids (no ORM, no audit
hook per row), deterministic (``random.Random(seed)``); refused when already loaded.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from itertools import islice

from sqlalchemy import JSON, func, select, text, union

from seeds import scale_data as words
from tet.extensions import db
from tet.comptes.siren import with_check_digit
from tet.comptes.models import (
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
)
from tet.indicateurs.models import IndicateurValeur
from tet.comptes.demandes import Rattachement
from tet.maturite.models import Reponse
from tet.plans import agregats as plan_agregats

NATIONAL = {"fiches": 200_000, "valeurs": 2_000_000, "questionnaires": 10_000,
            "opsn_collectivites": 2_000, "grosse_fiches": 100_000, "grand_plan_axes": 2_000}
GROSSE_SIREN = "200099992"   # the 100,000-fiche collectivité (also the marker of a load)
ARBRE_SIREN = "200099984"    # holds the 2,000-axe plan
OPSN_SIREN = "300099991"
EMAIL_DOMAIN = "charge.tet.test"
CHUNK = 10_000
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc)


class ScaleError(RuntimeError):
    """A refusal with a French message."""


def sizes(factor: float) -> dict[str, int]:
    """The counts for ``factor`` (never below a handful, so tiny factors stay meaningful)."""
    return {k: max(int(round(v * factor)), 3) for k, v in NATIONAL.items()}


class Bulk:
    """Chunked Core inserts with explicit ids taken after the current maximum."""

    def __init__(self):
        self.conn = db.session.connection()
        self._next: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self._buffers: dict[str, tuple] = {}

    def ids(self, table, n: int) -> range:
        start = self._next.get(table.name)
        if start is None:
            start = (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1
        self._next[table.name] = start + n
        return range(start, start + n)

    def register(self, *tables) -> None:
        """Fix the order buffers are written in (parents before children)."""
        for table in tables:
            self._buffers.setdefault(table.name, (table, []))

    def add(self, table, row: dict) -> None:
        """Buffer one row; all buffers are written, parents first, when one is full."""
        buf = self._buffers.setdefault(table.name, (table, []))[1]
        buf.append(row)
        if len(buf) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for table, buf in self._buffers.values():  # insertion order: parents first
            if buf:
                self.insert(table, buf)
                buf.clear()

    def insert(self, table, rows) -> int:
        rows = iter(rows)
        total = 0
        while chunk := list(islice(rows, CHUNK)):
            if self.conn.dialect.name == "postgresql":
                self._copy(table, chunk)
            else:
                self.conn.execute(table.insert(), chunk)
            total += len(chunk)
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        return total

    def _copy(self, table, rows: list[dict]) -> None:
        """PostgreSQL: COPY FROM STDIN on the session's own connection (same transaction),
        several times faster than multi-row INSERTs."""
        given = list(rows[0])
        # Python-side defaults (e.g. a user's session token), as a Core insert applies them
        defaults = [(c.name, c.default) for c in table.columns
                    if c.name not in rows[0] and c.default is not None
                    and (c.default.is_callable or c.default.is_scalar)]
        cols = given + [name for name, _d in defaults]
        as_json = {c for c in cols if isinstance(table.c[c].type, JSON)}
        names = ", ".join(f'"{c}"' for c in cols)
        with self.conn.connection.driver_connection.cursor() as cur:
            with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    values = [row[c] for c in given] + [
                        d.arg(None) if d.is_callable else d.arg for _n, d in defaults]
                    copy.write_row([json.dumps(v) if c in as_json else v
                                    for c, v in zip(cols, values)])

    def fix_sequences(self) -> None:
        if self.conn.dialect.name != "postgresql":
            return
        for name in self._next:
            self.conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT MAX(id) FROM {name}))"))


def generate(factor: float, seed: int = 20261125, echo=lambda _msg: None) -> dict[str, int]:
    """Add the synthetic data set; returns the number of rows inserted per table."""
    from seeds import scale_activite, scale_plans

    if not 0 < factor <= 1:
        raise ScaleError("Le facteur d'échelle doit être compris entre 0 et 1 (N de 1 à 100).")
    if db.session.scalar(select(Collectivite.id).where(Collectivite.siren == GROSSE_SIREN)):
        raise ScaleError("Données de charge déjà présentes : rien n'a été ajouté.")
    from tet.plans.models import Thematique
    if not db.session.scalar(select(func.count(Thematique.id))):
        raise ScaleError("Chargez d'abord les référentiels : flask --app app seed.")
    rng = random.Random(seed)
    n = sizes(factor)
    bulk = Bulk()
    ctx = {"rng": rng, "n": n, "bulk": bulk, "echo": echo}
    ctx["free"] = _collectivites(ctx)
    echo(f"Collectivités : {len(ctx['free'])} disponibles.")
    _users(ctx)
    _opsn(ctx)
    scale_plans.load(ctx)
    echo(f"Plans et fiches : {bulk.counts.get('fiche_action', 0)} fiches.")
    scale_activite.load(ctx)
    bulk.fix_sequences()
    bulk.flush()
    plan_agregats.rebuild(bulk.conn)  # the plans' maintained rows, once, from scratch
    db.session.commit()
    return bulk.counts


def _collectivites(ctx) -> list[int]:
    """Ids of collectivités free of activity (no answers, values, rattachement), topped up
    with synthetic ones; the two named ones (big plan, big tree) come first."""
    rng, bulk, n = ctx["rng"], ctx["bulk"], ctx["n"]
    busy = union(select(Reponse.collectivite_id), select(IndicateurValeur.collectivite_id),
                 select(Rattachement.collectivite_id), select(Membership.collectivite_id))
    free = list(db.session.scalars(select(Collectivite.id).where(
        Collectivite.id.not_in(busy)).order_by(Collectivite.id)))
    needed = max(n["questionnaires"], n["opsn_collectivites"] + 10, n["fiches"] // 10)
    sirens = set(db.session.scalars(select(Collectivite.siren)))
    missing = max(needed - len(free), 0)
    rows, ids = [], bulk.ids(Collectivite.__table__, missing + 2)
    rows.append(_coll_row(ids[0], GROSSE_SIREN, "Métropole de Grand-Charge", "metropole", rng))
    rows.append(_coll_row(ids[1], ARBRE_SIREN, "CA des Mille-Axes", "ca", rng))
    sirens.update((GROSSE_SIREN, ARBRE_SIREN))
    weights = [w for _t, w, _p in words.TYPES]
    for cid in ids[2:]:
        siren = GROSSE_SIREN
        while siren in sirens:
            body = "2" + f"{rng.randrange(10**7):07d}"
            siren = with_check_digit(body)
        sirens.add(siren)
        type_, _w, prefix = rng.choices(words.TYPES, weights)[0]
        nom = f"{prefix} {rng.choice(words.LIEUX)}{rng.choice(words.SUFFIXES)} {cid}"
        rows.append(_coll_row(cid, siren, nom, type_, rng))
    bulk.insert(Collectivite.__table__, rows)
    ctx["grosse"], ctx["arbre"] = ids[0], ids[1]
    return list(ids[2:]) + free


def _coll_row(cid: int, siren: str, nom: str, type_: str, rng) -> dict:
    dep, region = rng.choice(words.DEPARTEMENTS)
    return {"id": cid, "nom": nom, "type": type_, "siren": siren, "departement": dep,
            "region": region, "population": rng.randrange(200, 400_000),
            "niveau2_actif": False, "created_at": NOW}


def _users(ctx) -> None:
    """One to three accounts per collectivité with activity (admin, edition, lecture), named
    accounts ``admin|edition|lecture@grosse|arbre.charge.tet.test`` for the benchmark."""
    from flask import current_app
    from werkzeug.security import generate_password_hash

    from tet.config import DEMO_PASSWORD

    rng, bulk, n = ctx["rng"], ctx["bulk"], ctx["n"]
    hashed = generate_password_hash(DEMO_PASSWORD,
                                    method=current_app.config["PASSWORD_HASH_METHOD"])
    members = [(ctx["grosse"], "grosse"), (ctx["arbre"], "arbre")]
    members += [(c, None) for c in ctx["free"][: n["questionnaires"]]]
    users, memberships = [], []
    uid = iter(bulk.ids(User.__table__, 3 * len(members) + 2))
    mid = iter(bulk.ids(Membership.__table__, 3 * len(members)))
    ctx["users"] = {}
    for cid, label in members:
        niveaux = ("admin", "edition", "lecture") if label else \
            ("admin", "edition", "lecture")[: rng.choice((1, 1, 2, 3))]
        for niveau in niveaux:
            u = next(uid)
            email = (f"{niveau}@{label}.{EMAIL_DOMAIN}" if label
                     else f"u{u}@{EMAIL_DOMAIN}")
            users.append({"id": u, "email": email, "prenom": rng.choice(words.PRENOMS),
                          "nom": rng.choice(words.NOMS), "password_hash": hashed if label else None,
                          "is_support": False, "active": True, "email_verifie_le": NOW,
                          "created_at": NOW})
            memberships.append({"id": next(mid), "user_id": u, "collectivite_id": cid,
                                "niveau": niveau, "created_at": NOW})
            ctx["users"].setdefault(cid, u)
    ctx["opsn_users"] = [next(uid), next(uid)]
    for u, role in zip(ctx["opsn_users"], ("admin", "membre")):
        users.append({"id": u, "email": f"opsn.{role}@{EMAIL_DOMAIN}", "prenom": "Agent",
                      "nom": "OPSN", "password_hash": hashed, "is_support": False,
                      "active": True, "email_verifie_le": NOW, "created_at": NOW})
    bulk.insert(User.__table__, users)
    bulk.insert(Membership.__table__, memberships)


def _opsn(ctx) -> None:
    """An OPSN with ``opsn_collectivites`` accepted rattachements (few départements)."""
    bulk, n = ctx["bulk"], ctx["n"]
    opsn_id = bulk.ids(Opsn.__table__, 1)[0]
    bulk.insert(Opsn.__table__, [{"id": opsn_id, "nom": "OPSN de charge", "siren": OPSN_SIREN,
                                  "email_contact": f"contact@{EMAIL_DOMAIN}",
                                  "created_at": NOW}])
    attached = ctx["free"][: n["opsn_collectivites"]]
    deps = sorted({d for d in db.session.scalars(select(Collectivite.departement).where(
        Collectivite.id.in_(attached[:500]))) if d})[:20]
    bulk.insert(OpsnDepartement.__table__, [
        {"id": i, "opsn_id": opsn_id, "code": d}
        for i, d in zip(bulk.ids(OpsnDepartement.__table__, len(deps)), deps)])
    bulk.insert(OpsnMembership.__table__, [
        {"id": i, "user_id": u, "opsn_id": opsn_id, "role": role, "created_at": NOW}
        for i, u, role in zip(bulk.ids(OpsnMembership.__table__, 2), ctx["opsn_users"],
                              ("admin", "membre"))])
    bulk.insert(Rattachement.__table__, (
        {"id": i, "collectivite_id": c, "opsn_id": opsn_id, "statut": "acceptee",
         "decide_par_id": ctx["opsn_users"][0], "decide_le": NOW, "created_at": NOW}
        for i, c in zip(bulk.ids(Rattachement.__table__, len(attached)), attached)))
    ctx["opsn"] = opsn_id
