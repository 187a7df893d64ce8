"""Full-text search over titles and text: SQLite FTS5 or PostgreSQL tsvector, one interface.

Both backends take the same query language: words (all must occur), "quoted phrases", ``OR``
between words, and ``-word`` to exclude. Results are ranked (FTS5 bm25 with the title weighted
up; PostgreSQL ts_rank_cd) and carry a snippet with the query terms marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, String, bindparam, column, func, literal_column, text
from sqlalchemy.orm import Session

from monitor.errors import UsageError
from monitor.storage.models import Article
from monitor.storage.queries import ItemFilter, item_query

# The indexed expression; it must equal the one revision 0002 created, or the index goes unused.
PG_SEARCH_VECTOR = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || left(coalesce(text, ''), 100000))"
MARK_START = "["
MARK_END = "]"
# Words of context in a snippet: a line on a terminal, enough to judge relevance.
SNIPPET_WORDS = 16
TITLE_WEIGHT = 5.0

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchHit:
    article: Article
    rank: float
    snippet: str


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    negated: bool = False
    or_next: bool = False


def parse_query(query: str) -> list[_Term]:
    terms: list[_Term] = []
    for match in _TOKEN.finditer(query):
        negated = bool(match.group(1))
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(3) == "OR" and terms:
            terms[-1] = _Term(terms[-1].words, terms[-1].negated, True)
            continue
        if match.group(3) and raw.startswith("-"):
            negated, raw = True, raw[1:]
        words = tuple(_WORD.findall(raw))
        if words:
            terms.append(_Term(words, negated))
    if not any(not term.negated for term in terms):
        raise UsageError(f"search query {query!r} has no words to look for")
    return terms


def fts5_query(terms: list[_Term]) -> str:
    """Every word quoted, so FTS5 operators and column filters in user input are plain text."""
    parts: list[str] = []
    for term in terms:
        phrase = '"' + " ".join(word.replace('"', "") for word in term.words) + '"'
        parts.append(("NOT " if term.negated else "") + phrase + (" OR" if term.or_next else ""))
    positive = [p for p in parts if not p.startswith("NOT ")]
    negative = [p for p in parts if p.startswith("NOT ")]
    return " ".join(positive).removesuffix(" OR") + ("" if not negative else " " + " ".join(negative))


def websearch_query(terms: list[_Term]) -> str:
    """The same query for PostgreSQL's websearch_to_tsquery."""
    parts: list[str] = []
    for term in terms:
        words = " ".join(term.words)
        phrase = f'"{words}"' if len(term.words) > 1 else words
        parts.append(("-" if term.negated else "") + phrase + (" or" if term.or_next else ""))
    return " ".join(parts).removesuffix(" or")


def search(session: Session, query: str, spec: ItemFilter | None = None, limit: int = 20) -> Iterator[SearchHit]:
    """Articles matching ``query`` and the filters, best first."""
    terms = parse_query(query)
    spec = spec or ItemFilter()
    base = item_query(
        ItemFilter(
            flagged=spec.flagged,
            topic=spec.topic,
            country=spec.country,
            source=spec.source,
            since=spec.since,
            fetched_since=spec.fetched_since,
        )
    ).order_by(None)
    if session.get_bind().dialect.name == "postgresql":
        yield from _search_postgresql(session, base, websearch_query(terms), limit)
    else:
        yield from _search_sqlite(session, base, fts5_query(terms), limit)


def _search_sqlite(session: Session, base: Select[Article], match: str, limit: int) -> Iterator[SearchHit]:
    fts = (
        text(
            "SELECT rowid AS id, bm25(articles_fts, :title_weight, 1.0) AS rank, "
            "snippet(articles_fts, 1, :start, :end, '…', :words) AS snippet "
            "FROM articles_fts WHERE articles_fts MATCH :match"
        )
        .columns(column("id"), column("rank", Float), column("snippet", String))
        .subquery("fts")
    )
    query = (
        base.add_columns(fts.c.rank, fts.c.snippet)
        .join(fts, fts.c.id == Article.id)
        .order_by(fts.c.rank, Article.id.desc())  # bm25: lower is better
        .limit(limit)
    )
    params = {
        "match": match,
        "start": MARK_START,
        "end": MARK_END,
        "words": SNIPPET_WORDS,
        "title_weight": TITLE_WEIGHT,
    }
    for article, rank, snippet in session.execute(query, params):
        yield SearchHit(article, -float(rank), snippet or "")


def _search_postgresql(session: Session, base: Select[Article], websearch: str, limit: int) -> Iterator[SearchHit]:
    tsquery = func.websearch_to_tsquery(literal_column("'simple'::regconfig"), bindparam("q", websearch))
    # Unqualified column names: the query's only table with title and text is ``articles``.
    vector: ColumnElement[Any] = literal_column(f"({PG_SEARCH_VECTOR})")
    rank = func.ts_rank_cd(vector, tsquery).label("rank")
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=6, MaxFragments=2"
    snippet = func.ts_headline(
        literal_column("'simple'::regconfig"), func.left(Article.text, 100000), tsquery, options
    ).label("snippet")
    query = base.add_columns(rank, snippet).where(vector.op("@@")(tsquery)).order_by(rank.desc(), Article.id.desc())
    for article, score, headline in session.execute(query.limit(limit)):
        yield SearchHit(article, float(score), headline or "")
