"""The item search of the web app: the storage's full-text search, plus CJK words as substrings.

SQLite's FTS5 ``unicode61`` tokenizer and PostgreSQL's ``simple`` parser both take a run of
Chinese or Japanese characters without spaces as one token, so ``数据出境`` never finds a text that
says ``国家数据出境安全评估办法``. Words with CJK characters are therefore matched as substrings of
the title or text (``instr`` / ``strpos``); every other word goes to the full-text index as
``monitor search`` sends it. SQLite ranks as ``monitor search`` does (bm25); PostgreSQL lists
the matches with the words in the title first, then the newest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, not_, or_
from sqlalchemy.orm import Session

from monitor.storage.models import Article
from monitor.storage.search import (
    PG_SEARCH_VECTOR,
    _search_sqlite,
    fts5_query,
    parse_query,
    websearch_query,
)

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
NEWEST = (Article.published_at.desc().nulls_last(), Article.id.desc())


@dataclass(frozen=True)
class Query:
    """A parsed search: the words to highlight in results, and the query itself."""

    text: str
    words: tuple[str, ...]


def _contains(session: Session, phrase: str) -> ColumnElement[bool]:
    position = func.strpos if session.get_bind().dialect.name == "postgresql" else func.instr
    return or_(position(Article.title, phrase) > 0, position(Article.text, phrase) > 0)


def _postgresql(session: Session, query: Select[Article], websearch: str, limit: int) -> list[Article]:
    """Matches through the GIN index, those with the words in the title first, then newest.

    ``monitor search`` ranks with ``ts_rank_cd`` over the whole text, whose tsvector the expression
    index does not keep: every match is converted again (0.14 ms each; 300 ms for a word in 2 % of
    100,000 articles). A title's tsvector costs next to nothing.
    """
    simple: ColumnElement[Any] = literal_column("'simple'::regconfig")
    tsquery = func.websearch_to_tsquery(simple, bindparam("q", websearch))
    vector: ColumnElement[Any] = literal_column(f"({PG_SEARCH_VECTOR})")
    in_title = func.ts_rank_cd(func.to_tsvector(simple, func.coalesce(Article.title, "")), tsquery)
    ranked = query.where(vector.op("@@")(tsquery)).order_by(in_title.desc(), *NEWEST).limit(limit)
    return list(session.scalars(ranked))


def search_articles(session: Session, base: Select[Article], text: str, limit: int) -> tuple[list[Article], Query]:
    """Articles of ``base`` matching ``text``, best first (newest first for a CJK-only query)."""
    terms = parse_query(text)  # UsageError: no words
    words = tuple(dict.fromkeys(word for term in terms if not term.negated for word in term.words))
    indexed = [term for term in terms if not any(CJK.search(word) for word in term.words)]
    query = base
    for term in terms:
        if term in indexed:
            continue
        phrase = ("" if CJK.search(term.words[0]) else " ").join(term.words)
        condition = _contains(session, phrase)
        query = query.where(not_(condition) if term.negated else condition)
    parsed = Query(text, words)
    if not any(not term.negated for term in indexed):
        # Only CJK words to look for (an excluded latin word alone cannot drive FTS5 or tsquery).
        for term in indexed:
            query = query.where(not_(_contains(session, " ".join(term.words))))
        return list(session.scalars(query.order_by(*NEWEST).limit(limit))), parsed
    if session.get_bind().dialect.name == "postgresql":
        return _postgresql(session, query, websearch_query(indexed), limit), parsed
    hits = _search_sqlite(session, query, fts5_query(indexed), limit)
    return [hit.article for hit in hits], parsed
