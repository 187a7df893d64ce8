"""The near-duplicate stage, built through Scrapy's factory, on each database backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from monitor.digest.stories import group_stories
from monitor.settings_defaults import DEFAULTS
from monitor.storage import repository_for
from monitor.storage.models import Article
from monitor.storage.records import ArticleRecord
from pipelines.near_duplicate import NearDuplicateStage
from spiders.database import close_crawl_database
from spiders.items import DocumentItem
from tests.helpers.syndication import OTHERS, RELEASES, copies


@pytest.fixture(autouse=True)
def _crawlers() -> Iterator[None]:
    yield
    while _CRAWLERS:
        close_crawl_database(_CRAWLERS.pop())


_CRAWLERS: list[Crawler] = []


def _stage(database_url: str) -> NearDuplicateStage:
    """A stage of a new crawler, as in a new run; its database is closed after the test."""
    crawler = get_crawler(settings_dict={**DEFAULTS, "MONITOR_DB_URL": database_url})
    crawler.stats.open_spider()
    _CRAWLERS.append(crawler)
    return NearDuplicateStage.from_crawler(crawler)


def _item(url: str, source: str, text: str) -> DocumentItem:
    return DocumentItem(url=url, source_id=source, body=b"", canonical_url=url, title=url, text=text)


def _store(url: str, item: DocumentItem) -> None:
    repository_for(url).upsert_article(
        ArticleRecord(
            canonical_url=item.canonical_url,
            url=item.url,
            source_id=item.source_id,
            title=item.title,
            text=item.text,
            duplicate_of=item.duplicate_of,
        )
    )


def test_syndicated_copies_are_one_story_with_the_regulator_first(database_url: str) -> None:
    repository = repository_for(database_url)
    for source, kind in (("dpa", "regulator"), ("daily", "press"), ("wire", "press"), ("tribune", "press")):
        repository.ensure_source(source, source.title(), kind, "FR")
    release = RELEASES["transfers"]
    wrapped, trimmed, edited = copies(release, "Daily")

    # Run 1: an outlet's copy is crawled before the regulator's original.
    stage = _stage(database_url)
    first = stage.process_item(_item("https://daily.example/a", "daily", wrapped))
    other = stage.process_item(_item("https://daily.example/other", "daily", OTHERS[0]))
    assert first.duplicate_of is None and other.duplicate_of is None
    for item in (first, other):
        _store(database_url, item)

    # Run 2: a fresh stage loads the stored signatures; later copies point to the first seen.
    stage = _stage(database_url)
    later = [
        stage.process_item(_item("https://dpa.example/press/1", "dpa", release)),
        stage.process_item(_item("https://wire.example/b", "wire", trimmed)),
        stage.process_item(_item("https://tribune.example/c", "tribune", edited)),
    ]
    assert [item.duplicate_of for item in later] == ["https://daily.example/a"] * 3
    for item in later:
        _store(database_url, item)
    assert stage.stats.get_value("items/near_duplicate") == 3

    # A revision of the first copy is not a copy of its own copies.
    revised = stage.process_item(_item("https://daily.example/a", "daily", wrapped + " Updated on Wednesday."))
    assert revised.duplicate_of is None

    with repository.sessions() as session:
        articles = list(session.scalars(select(Article).order_by(Article.id)))
    stories = group_stories(articles, repository.source_kinds())
    assert len(stories) == 2
    story = next(s for s in stories if s.copies)
    assert story.primary.canonical_url == "https://dpa.example/press/1"  # the regulator leads
    assert story.also_reported_by == ["daily", "wire", "tribune"]


def test_short_texts_are_not_compared(database_url: str) -> None:
    stage = _stage(database_url)
    for url in ("https://a.example/1", "https://b.example/1"):
        assert stage.process_item(_item(url, "daily", "Short teaser.")).duplicate_of is None
