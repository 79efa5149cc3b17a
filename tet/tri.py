"""French sorting: « Eaubonne, école, Écouen, Œuvre, Zèbre » — accents and case second,
« œ » as « oe », numbers by value (« Plan 2 » before « Plan 10 »).

One collation name, ``tet_fr``, on both databases, so a query is written once:
``order_by(tri_fr(Collectivite.nom))``. PostgreSQL: an ICU collation created by the
migration a32_francais (``fr-u-kn-true``); SQLite: the same order computed in Python
(:func:`cle`), registered on every new connection.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sqlalchemy import String, event
from sqlalchemy.engine import Engine

COLLATION = "tet_fr"
ICU_LOCALE = "fr-u-kn-true"  # French, numbers by value
# indexes in that order (migration a32_francais), outside the models: Alembic's comparison
# skips them (``tet.recherche.include_name``)
INDEX_FR = {"ix_fiche_action_liste_fr", "ix_collectivite_nom_fr"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOMBRES = re.compile(r"(\d+)")


def tri_fr(column):
    """``column COLLATE tet_fr``: for ORDER BY (and comparisons) of names and titles."""
    return column.collate(COLLATION)


def tri_texte(column):
    """``tri_fr(column)`` for a text column, the column itself otherwise (list sorting)."""
    return tri_fr(column) if isinstance(getattr(column, "type", None), String) else column


def _sans_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


def _morceaux(text: str) -> tuple:
    """Digits as numbers, the rest as text: comparable tuples (text, number) alternating."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _NOMBRES.split(text) if p)


@lru_cache(maxsize=65536)
def cle(text: str | None) -> tuple:
    """The sort key: letters without accents nor case first (primary), then the accents
    (secondary), then the case (tertiary, lower case first) — as ICU's French."""
    text = (text or "").translate(_LIGATURES)
    base = _sans_accents(text)
    return (_morceaux(base.casefold()), _morceaux(text.casefold()),
            tuple(not c.islower() for c in text))


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = cle(a), cle(b)
    return (ka > kb) - (ka < kb)


@event.listens_for(Engine, "connect")
def _sqlite_collation(dbapi_connection, _record) -> None:
    """Every SQLite connection knows ``tet_fr`` (PostgreSQL: created by the migration)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_collation(COLLATION, _compare)
