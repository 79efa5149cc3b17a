"""Server-side cache of the observatoire's rendered pages (anonymous traffic costs one
small query per page).

A page is kept under its key (the route and its *validated* parameters: junk query strings
never make new entries) with the ``empreinte`` of the data when it was rendered. The
empreinte is one query over the tables the pages show (candidatures, dossiers,
organisations, calls, their axes and territories, impacts and their values): per table the
row count, the sum of the optimistic-locking ``version`` columns (every ORM update bumps
it), the largest id and the latest ``created_at`` (a row deleted, another inserted). A
decision, a validated impact value, a public flag or a confidential dossier changes it, so
the next request of any worker renders afresh.

Staleness bound: none for those tables; the names of collectivités and of indicators
(not in the empreinte, they are large or rarely edited) at most ``TTL`` seconds on the
server, plus the browsers' and proxies' ``max-age`` (``MAX_AGE``). At most ``TAILLE``
pages per process (least recently used dropped first).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from sqlalchemy import DateTime, cast, func, literal_column, null, select, union_all

from tet.extensions import db
from tet.projets.models import (
    AppelAProjets,
    AxeAppel,
    Candidature,
    Dossier,
    Impact,
    ImpactValeur,
    Organisation,
    appel_territoire,
)

TTL = 300  # seconds a rendered page is kept at most on the server
MAX_AGE = 120  # seconds browsers and shared caches may reuse a page (Cache-Control)
TAILLE = 256  # pages kept per process
SUIVIES = (Candidature, Dossier, Organisation, AppelAProjets, AxeAppel, Impact, ImpactValeur)


def empreinte() -> tuple:
    """The data version of the observatoire: one query, one row per table (table names
    as SQL literals: no untyped parameter in the UNION)."""
    sans_date = cast(null(), DateTime(timezone=True))
    parts = [select(literal_column(f"'{m.__tablename__}'"), func.count(),
                    func.coalesce(func.sum(m.version), 0), func.coalesce(func.max(m.id), 0),
                    func.max(m.created_at) if hasattr(m, "created_at") else sans_date)
             for m in SUIVIES]
    lien = appel_territoire.c
    parts.append(select(literal_column("'appel_territoire'"), func.count(),
                        func.coalesce(func.sum(lien.appel_id), 0),
                        func.coalesce(func.sum(lien.collectivite_id), 0), sans_date))
    return tuple(tuple(row) for row in db.session.execute(union_all(*parts)).all())


class CachePages:
    """Rendered pages (or any value) by key, valid while the empreinte is the same and for
    ``ttl`` seconds at most (thread-safe, bounded)."""

    def __init__(self, taille: int = TAILLE, ttl: float = TTL, horloge=time.monotonic):
        self.taille, self.ttl, self.horloge = taille, ttl, horloge
        self._pages: OrderedDict = OrderedDict()
        self._verrou = threading.Lock()

    def lire(self, cle, version):
        with self._verrou:
            entree = self._pages.get(cle)
            if entree is None:
                return None
            version_page, expire, page = entree
            if version_page != version or self.horloge() >= expire:
                del self._pages[cle]
                return None
            self._pages.move_to_end(cle)
            return page

    def ecrire(self, cle, version, page) -> None:
        with self._verrou:
            self._pages[cle] = (version, self.horloge() + self.ttl, page)
            self._pages.move_to_end(cle)
            while len(self._pages) > self.taille:
                self._pages.popitem(last=False)

    def vider(self) -> None:
        with self._verrou:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
