"""Read side: the filtered, streamed article queries behind ``monitor items``, exports and the digest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.selectable import ScalarSelect

from monitor.controls import strip_controls
from monitor.storage.models import Article, ArticleCountry, TopicMatch
from monitor.storage.records import about_codes, mentioned_codes

# Rows fetched per round trip when streaming; keeps memory flat on a large export.
STREAM_BATCH = 500


@dataclass(frozen=True)
class ItemFilter:
    """What to list. ``country``: items ABOUT that jurisdiction (not every item that mentions it).

    ``by_score``: best topic score first (ties: newest first), the order of flagged items; else
    newest first.
    """

    flagged: bool = False
    topic: str | None = None
    country: str | None = None
    source: str | None = None
    since: datetime | None = None
    fetched_since: datetime | None = None
    limit: int | None = None
    by_score: bool = False


def best_score() -> ScalarSelect[float]:
    """The article's best topic score, as a correlated scalar subquery (None when no topic fired)."""
    return select(func.max(TopicMatch.score)).where(TopicMatch.article_id == Article.id).scalar_subquery()


def item_query(spec: ItemFilter) -> Select[Article]:
    query = select(Article).options(selectinload(Article.topics), selectinload(Article.countries))
    if spec.flagged:
        query = query.where(Article.flagged.is_(True))
    if spec.topic:
        query = query.where(exists().where(TopicMatch.article_id == Article.id, TopicMatch.topic == spec.topic))
    if spec.country:
        query = query.where(
            exists().where(
                ArticleCountry.article_id == Article.id,
                ArticleCountry.code == spec.country.upper(),
                ArticleCountry.focus.is_(True),
            )
        )
    if spec.source:
        query = query.where(Article.source_id == spec.source)
    if spec.since:
        query = query.where(
            (Article.published_at >= spec.since) | (Article.published_at.is_(None) & (Article.fetched_at >= spec.since))
        )
    if spec.fetched_since:
        query = query.where(Article.fetched_at >= spec.fetched_since)
    newest = (Article.published_at.desc().nulls_last(), Article.id.desc())
    query = query.order_by(best_score().desc().nulls_last(), *newest) if spec.by_score else query.order_by(*newest)
    if spec.limit:
        query = query.limit(spec.limit)
    return query


def best_topic_score(article: Article) -> float:
    """The score of the topic the article is most about (0 when none fired): what flagged items sort by."""
    return max((topic.score for topic in article.topics), default=0.0)


def by_best_score(articles: list[Article]) -> list[Article]:
    """``articles`` by best topic score, ties newest first (as ``ItemFilter.by_score`` orders them)."""
    newest = sorted(articles, key=lambda a: (a.published_at is not None, a.published_at, a.id or 0), reverse=True)
    return sorted(newest, key=best_topic_score, reverse=True)


def iter_items(session: Session, spec: ItemFilter) -> Iterator[Article]:
    """Stream matching articles in batches; nothing holds the whole result in memory."""
    query = item_query(spec).execution_options(yield_per=STREAM_BATCH)
    yield from session.scalars(query)


def to_item(article: Article) -> dict[str, Any]:
    """The item contract of design.md: what ``monitor items --format jsonl`` prints."""
    return {
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source_id,
        # Rows stored before the crawl stripped control characters: stripped here too (monitor.controls).
        "title": strip_controls(article.title),
        "text": strip_controls(article.text),
        "summary": strip_controls(article.summary),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
        "language": article.language,
        "topics": [{"topic": t.topic, "score": round(t.score, 3), "terms": list(t.terms)} for t in article.topics],
        "countries": about_codes(article.countries),
        "mentioned_countries": mentioned_codes(article.countries),
        "flagged": bool(article.flagged),
        "duplicate_of": article.duplicate_of,
    }
