"""Full-text search: inspiration fiches, audit log, collectivités.

PostgreSQL: text-search configurations built by migration ``a17_recherche`` —
``fr_unaccent`` (French stemming after ``unaccent``: « énergies » and « énergie » give the
same lexeme) and ``tet_simple`` (no stemming, for names) — and GIN indexes on stored
tsvectors ``fiche_action.recherche`` (titre weight A, description B, ranked by ``ts_rank``)
and ``audit_log.recherche`` (object, author's e-mail, type), and on an expression for
``collectivite`` (``SEARCH_SQL`` below must stay the text of that index expression, or the
planner will not use it).

SQLite: FTS5 tables with the ``unicode61 remove_diacritics 2`` tokenizer, external content
kept in sync by triggers, ranked by ``bm25``. FTS5 has no French stemmer: a trailing s / x
is taken off each term, which is then a prefix (« énergies » → ``"énergie"*``, which finds
énergie and énergies).

Whatever is typed is reduced to plain words (no operator, quote or ``*`` reaches the
search engine); no word left means no search.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Integer, column, func, literal_column, select, table

from tet.extensions import db
from tet import tri

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
WORD = re.compile(r"[^\W_]+")

# PostgreSQL's French stop words (tsearch_data/french.stop): left out on both databases.
STOP_WORDS = frozenset("""
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi
mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es
est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus
ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez
auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez
aient eusse eusses eût eussions eussiez eussent""".split())

# The indexed expressions of migration a17_recherche (PostgreSQL), word for word.
SEARCH_SQL = {
    "fiche": "fiche_action.recherche",
    "audit": "audit_log.recherche",
    "collectivite": ("to_tsvector('tet_simple'::regconfig, coalesce(collectivite.nom, '') "
                     "|| ' ' || coalesce(collectivite.siren, '') "
                     "|| ' ' || coalesce(collectivite.code_insee, ''))"),
}
# SQLite: the FTS5 table of each searched table.
FTS_TABLES = {"fiche": "fiche_fts", "audit": "audit_fts", "collectivite": "collectivite_fts"}


def terms(texte: str | None, stop_words: bool = True) -> list[str]:
    """The plain words of ``texte`` (lower case, at most ``MAX_TERMS``), stop words left out
    unless ``stop_words`` is False (names: « Saint-Jean-de-Luz »)."""
    found: list[str] = []
    for word in WORD.findall(unicodedata.normalize("NFC", (texte or "")[:500]).lower()):
        word = word[:MAX_TERM_LENGTH]
        if (stop_words and word in STOP_WORDS) or word in found:
            continue
        found.append(word)
        if len(found) == MAX_TERMS:
            break
    return found


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _fts5_query(words: list[str], singular: bool) -> str:
    """``"énergie"* "rénovation"*``: every word required, as a prefix."""
    def stem(word: str) -> str:
        return word[:-1] if singular and len(word) > 3 and word[-1] in "sx" else word
    return " ".join(f'"{stem(w)}"*' for w in words)


def _fts5_ids(kind: str, words: list[str], singular: bool):
    name = FTS_TABLES[kind]
    return (select(column("rowid", Integer)).select_from(table(name))
            .where(literal_column(name).op("MATCH")(_fts5_query(words, singular))))


def _tsquery(words: list[str], prefix: bool):
    if prefix:
        return func.to_tsquery(literal_column("'tet_simple'::regconfig"),
                               " & ".join(f"'{w}':*" for w in words))
    return func.plainto_tsquery(literal_column("'fr_unaccent'::regconfig"), " ".join(words))


def fiches(query, texte: str | None):
    """``query`` (a select of ``FicheAction``) narrowed to the fiches matching ``texte``,
    and the rank to sort by, best first (a word of the titre weighs more than one of the
    description). Without any word: ``query`` unchanged and no rank."""
    from tet.plans.models import FicheAction

    words = terms(texte)
    if not words:
        return query, None
    if _dialect() == "postgresql":
        vector, tsquery = literal_column(SEARCH_SQL["fiche"]), _tsquery(words, prefix=False)
        query = query.where(vector.op("@@")(tsquery))
        rank = func.ts_rank(vector, tsquery).desc()
    else:
        # materialised: the matches drive the join (joined directly, SQLite's planner may
        # walk fiche_action and run the MATCH once per row)
        found = _fts5_ids("fiche", words, singular=True).add_columns(func.bm25(
            literal_column(FTS_TABLES["fiche"]), literal_column("10.0"),
            literal_column("1.0")).label("rang")).cte("fiche_trouvee").prefix_with(
            "MATERIALIZED")
        query = query.join(found, found.c.rowid == FicheAction.id)
        rank = found.c.rang
    return query, rank


def page_of_fiches(query, texte: str | None, offset: int, limit: int, *options):
    """(number of fiches, the fiches of the page) of ``query`` searched for ``texte``.
    A search reads its matches once: ranked ids and their count (window function) in one
    query, then the page's rows; without words, a count and the page by titre."""
    from tet.plans.models import FicheAction

    query, rank = fiches(query, texte)

    def count():
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    by_titre = (FicheAction.titre, FicheAction.id)
    if rank is None:
        rows = db.session.scalars(query.options(*options).order_by(*by_titre)
                                  .offset(offset).limit(limit)).all()
        return count(), rows
    ranked = db.session.execute(query.with_only_columns(FicheAction.id, func.count().over())
                                .order_by(rank, *by_titre).offset(offset).limit(limit)).all()
    if not ranked:  # nothing, or a page beyond the last one
        return (count() if offset else 0), []
    by_id = {f.id: f for f in db.session.scalars(select(FicheAction).where(
        FicheAction.id.in_([fid for fid, _total in ranked])).options(*options))}
    return ranked[0][1], [by_id[fid] for fid, _total in ranked]


def condition(kind: str, id_column, texte: str | None):
    """Where-clause of a list search (``kind``: "audit" or "collectivite"), or None when
    ``texte`` has no word. Audit: words of the object, of the author's e-mail, its type;
    collectivité: beginnings of words of the nom, SIREN or code INSEE."""
    names = kind == "collectivite"
    words = terms(texte, stop_words=not names)
    if not words:
        return None
    if _dialect() == "postgresql":
        return literal_column(SEARCH_SQL[kind]).op("@@")(_tsquery(words, prefix=names))
    return id_column.in_(_fts5_ids(kind, words, singular=not names))



FTS_SHADOW = re.compile(r"^(fiche|audit|collectivite)_fts(_(data|idx|content|docsize|config))?$")
PG_OBJECTS = {"recherche", "ix_fiche_action_recherche", "ix_audit_log_recherche",
              "ix_collectivite_recherche"}


def include_name(name, type_, parent_names) -> bool:
    """Alembic: the search objects above live outside the models (migration a17 only)."""
    if type_ == "table":
        return not FTS_SHADOW.match(name or "")
    return name not in PG_OBJECTS and name not in tri.INDEX_FR
