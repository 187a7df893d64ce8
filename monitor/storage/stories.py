"""Stories: syndicated copies grouped under one primary article, for the digest, the feed and the web.

Storage keeps the simple, crash-safe fact: each copy's ``duplicate_of`` names the first copy
seen. Which copy leads is decided here, when reading, by one rule (``primary_of``) that every
reader uses: an official source's original is preferred over an outlet that happened to be
crawled first, so the digest, the Atom feed and the web page all link to the regulator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitor.storage.models import Article

# Lower leads. The issuer of a text (regulator, court, ministry) before those that report on it.
KIND_RANK = {"regulator": 0, "court": 1, "ministry": 1, "legislature": 1, "executive": 1, "intl": 2, "ngo": 3}
OTHER_RANK = 4
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Story:
    primary: Article
    copies: list[Article] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.primary.duplicate_of or self.primary.canonical_url

    @property
    def also_reported_by(self) -> list[str]:
        """Source ids of the copies, in order of appearance, without repeats or the primary's own."""
        seen = {self.primary.source_id}
        names: list[str] = []
        for copy in self.copies:
            if copy.source_id not in seen:
                seen.add(copy.source_id)
                names.append(copy.source_id)
        return names


def story_key(article: Article) -> str:
    """The canonical URL every copy of a story shares: the first copy's."""
    return article.duplicate_of or article.canonical_url


def primary_of(members: Iterable[Article], source_kinds: Mapping[str, str]) -> Article:
    """The copy that leads a story: the issuer's kind first (``KIND_RANK``), then the earliest fetched."""

    def rank(article: Article) -> tuple[int, datetime, int]:
        kind_rank = KIND_RANK.get(source_kinds.get(article.source_id, ""), OTHER_RANK)
        return kind_rank, article.fetched_at or _EPOCH, article.id or 0

    return min(members, key=rank)


def group_stories(articles: Iterable[Article], source_kinds: Mapping[str, str]) -> list[Story]:
    """Group articles by story, in the order each story first appears; pick each story's primary."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(story_key(article), []).append(article)
    stories = []
    for members in groups.values():
        primary = primary_of(members, source_kinds)
        stories.append(Story(primary, [member for member in members if member is not primary]))
    return stories


def stories_for(session: Session, articles: list[Article], source_kinds: Mapping[str, str]) -> list[Story]:
    """Stories of ``articles`` with all their stored copies (flagged or not), in the input's order."""
    keys = list(dict.fromkeys(article.duplicate_of or article.canonical_url for article in articles))
    members: dict[int, Article] = {article.id: article for article in articles}
    options = (selectinload(Article.topics), selectinload(Article.countries))
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        # Two indexed lookups, not one OR: SQLite answers an OR of two columns with a full scan.
        for column in (Article.canonical_url, Article.duplicate_of):
            for article in session.scalars(select(Article).options(*options).where(column.in_(chunk))):
                members.setdefault(article.id, article)
    position = {key: index for index, key in enumerate(keys)}
    ordered = sorted(members.values(), key=lambda a: (position[a.duplicate_of or a.canonical_url], a.id))
    return group_stories(ordered, source_kinds)
