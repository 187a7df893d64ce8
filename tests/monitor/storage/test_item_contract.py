"""The item contract in storage: ``countries`` (about) vs ``mentioned_countries``, and the score order."""

from __future__ import annotations

from datetime import timedelta

from monitor.storage.queries import ItemFilter, iter_items, to_item
from monitor.storage.records import CountryRecord, TopicRecord
from tests.monitor.storage.factories import WHEN, record, repository_with_sources


def _items(repository, spec: ItemFilter) -> list[dict]:  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        return [to_item(article) for article in iter_items(session, spec)]


def test_countries_are_what_the_item_is_about_and_mentioned_countries_what_it_names(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    countries = [
        CountryRecord("DE", 0, 3, True),
        CountryRecord("AT", 1, 1, False),  # "the Austrian activist": named, not the subject
        CountryRecord("EU", 2, 2, True),
    ]
    repository.upsert_article(record("https://dpa.example/a", topics=["transfers"], countries=countries))
    # A text that names no jurisdiction: the source's own is its subject, stored with 0 mentions.
    fallback = [CountryRecord("FR", 0, 0, True)]
    repository.upsert_article(record("https://dpa.example/b", topics=["transfers"], countries=fallback))
    items = {item["url"]: item for item in _items(repository, ItemFilter())}
    assert items["https://dpa.example/a"]["countries"] == ["DE", "EU"]
    assert items["https://dpa.example/a"]["mentioned_countries"] == ["DE", "AT", "EU"]
    assert items["https://dpa.example/b"]["countries"] == ["FR"]
    assert items["https://dpa.example/b"]["mentioned_countries"] == []


def test_country_filter_lists_items_about_it_not_those_that_mention_it(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    about_cn = [CountryRecord("CN", 0, 4, True)]
    mentions_cn = [CountryRecord("US", 0, 5, True), CountryRecord("CN", 1, 1, False)]
    repository.upsert_article(record("https://dpa.example/about", topics=["transfers"], countries=about_cn))
    repository.upsert_article(record("https://dpa.example/mention", topics=["transfers"], countries=mentions_cn))
    assert [item["url"] for item in _items(repository, ItemFilter(country="cn"))] == ["https://dpa.example/about"]


def test_flagged_items_come_by_best_topic_score_ties_newest_first(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    for name, scores, age in [
        ("newest-weak", {"transfers": 0.41}, 0),
        ("old-strong", {"localization": 0.35, "transfers": 0.97}, 48),
        ("tie-older", {"transfers": 0.7}, 24),
        ("tie-newer", {"transfers": 0.7}, 12),
    ]:
        when = WHEN - timedelta(hours=age)
        article = record(f"https://dpa.example/{name}", flagged=True, published_at=when, fetched_at=when)
        article.topics = [TopicRecord(topic, score, [topic]) for topic, score in scores.items()]
        repository.upsert_article(article)
    ranked = [item["url"].rsplit("/", 1)[1] for item in _items(repository, ItemFilter(flagged=True, by_score=True))]
    assert ranked == ["old-strong", "tie-newer", "tie-older", "newest-weak"]
    # Without by_score, the listing stays newest first.
    dated = [item["url"].rsplit("/", 1)[1] for item in _items(repository, ItemFilter(flagged=True))]
    assert dated == ["newest-weak", "tie-newer", "tie-older", "old-strong"]
