"""The item search of the web app: the storage's search (``monitor.storage.search.search_in``).

The web app and ``monitor search`` share one implementation, CJK words as substrings included,
so both find the same items for the same query; the web app makes its own snippets.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy.orm import Session

from monitor.storage.models import Article
from monitor.storage.search import CJK, NEWEST, search_in

__all__ = ["CJK", "NEWEST", "Query", "search_articles"]


@dataclass(frozen=True)
class Query:
    """A parsed search: the words to highlight in results, and the query itself."""

    text: str
    words: tuple[str, ...]


def search_articles(session: Session, base: Select[Article], text: str, limit: int) -> tuple[list[Article], Query]:
    """Articles of ``base`` matching ``text``, best first (newest first for a CJK-only query)."""
    found = search_in(session, base, text, limit, snippets=False)
    return [hit.article for hit in found.hits], Query(text, found.words)
