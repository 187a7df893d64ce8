"""A match written onto a stored article: its flag, ``flagged_at``, and its topic and country rows.

Both writers use it: ``Repository.upsert_article`` when a stored article's text was revised, and
``monitor.rematch`` when a watchlist edit changes what the same text matches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection, delete, insert
from sqlalchemy.orm import Session

from monitor.storage.models import Article, ArticleCountry, TopicMatch
from monitor.storage.records import CountryRecord, TopicRecord
from monitor.storage.text import clean_json, clean_text

# The reason column holds one digest line; the matcher's is far shorter, this bounds a caller's.
REASON_CHARS = 2000


class Matched(Protocol):
    """A match in its stored shape: ``MatchRecord``, or the ``ArticleRecord`` the pipeline stores."""

    topics: list[TopicRecord]
    countries: list[CountryRecord]
    flagged: bool
    reason: str


def flagged_at(article: Article, match: Matched, now: datetime, *, revised: bool) -> datetime | None:
    """When ``article`` became news, once ``match`` is written: the digest carries what is newer.

    Unflagged, it has no such time; newly flagged, it is news now. Already flagged, it keeps its
    time, unless a revised text (``revised``) is about other topics: then it is news again. A
    rematch of the same text with other topics (a watchlist edit) is not news.
    """
    if not match.flagged:
        return None
    if not article.flagged:
        return now
    if revised and {topic.topic for topic in match.topics} != {topic.topic for topic in article.topics}:
        return now
    return article.flagged_at


def insert_matches(connection: Connection, article_id: int, match: Matched) -> None:
    """The article's topic and country rows, one executemany each."""
    if match.topics:
        connection.execute(
            insert(TopicMatch),
            [
                {
                    "article_id": article_id,
                    "topic": t.topic,
                    "score": t.score,
                    "terms": clean_json(list(t.terms)),
                    "evidence": clean_json(list(t.evidence)),
                }
                for t in match.topics
            ],
        )
    if match.countries:
        connection.execute(
            insert(ArticleCountry),
            [
                {"article_id": article_id, "code": c.code, "rank": c.rank, "mentions": c.mentions, "focus": c.focus}
                for c in match.countries
            ],
        )


def apply_match(session: Session, article: Article, match: Matched, now: datetime, *, revised: bool) -> None:
    """Write ``match`` onto the stored ``article``, replacing its topic and country rows (flushed)."""
    article.flagged_at = flagged_at(article, match, now, revised=revised)
    article.flagged = match.flagged
    article.reason = clean_text(match.reason, REASON_CHARS)
    session.flush()
    # The old rows go before the new ones go in: a match that keeps a topic or a country would
    # break the (article, topic) and (article, code) unique keys.
    session.execute(delete(TopicMatch).where(TopicMatch.article_id == article.id))
    session.execute(delete(ArticleCountry).where(ArticleCountry.article_id == article.id))
    insert_matches(session.connection(), article.id, match)
    session.expire(article, ["topics", "countries"])
