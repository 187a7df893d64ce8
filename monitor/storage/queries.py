"""Read side: the filtered, streamed article queries behind ``monitor items``, exports and the digest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, selectinload

from monitor.storage.models import Article, ArticleCountry, TopicMatch

# Rows fetched per round trip when streaming; keeps memory flat on a large export.
STREAM_BATCH = 500


@dataclass(frozen=True)
class ItemFilter:
    flagged: bool = False
    topic: str | None = None
    country: str | None = None
    source: str | None = None
    since: datetime | None = None
    fetched_since: datetime | None = None
    limit: int | None = None


def item_query(spec: ItemFilter) -> Select[Article]:
    query = select(Article).options(selectinload(Article.topics), selectinload(Article.countries))
    if spec.flagged:
        query = query.where(Article.flagged.is_(True))
    if spec.topic:
        query = query.where(exists().where(TopicMatch.article_id == Article.id, TopicMatch.topic == spec.topic))
    if spec.country:
        query = query.where(
            exists().where(ArticleCountry.article_id == Article.id, ArticleCountry.code == spec.country.upper())
        )
    if spec.source:
        query = query.where(Article.source_id == spec.source)
    if spec.since:
        query = query.where(
            (Article.published_at >= spec.since) | (Article.published_at.is_(None) & (Article.fetched_at >= spec.since))
        )
    if spec.fetched_since:
        query = query.where(Article.fetched_at >= spec.fetched_since)
    query = query.order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
    if spec.limit:
        query = query.limit(spec.limit)
    return query


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
        "title": article.title,
        "text": article.text,
        "summary": article.summary,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
        "language": article.language,
        "topics": [{"topic": t.topic, "score": round(t.score, 3), "terms": list(t.terms)} for t in article.topics],
        "countries": [c.code for c in sorted(article.countries, key=lambda c: c.rank)],
        "flagged": bool(article.flagged),
        "duplicate_of": article.duplicate_of,
    }
