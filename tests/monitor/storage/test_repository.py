from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from monitor.storage.models import Article, ArticleCountry, Run, TopicMatch
from monitor.storage.records import EndpointResult
from monitor.storage.repository import EndpointState

from .factories import record, repository_with_sources


def _article(repository, url: str = "https://dpa.example/news/1") -> Article:  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        return session.scalars(select(Article).where(Article.canonical_url == url)).one()


def test_a_revision_updates_in_place_and_counts(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    assert repository.upsert_article(record(topics=["transfers"], content_hash="a")) == "inserted"
    first = _article(repository)
    assert repository.upsert_article(record(topics=["transfers"], content_hash="a")) == "unchanged"
    changed = record(text="The authority amended its order on transfers.", topics=["transfers"], content_hash="b")
    assert repository.upsert_article(changed) == "updated"
    revised = _article(repository)
    assert (revised.id, revised.revision, revised.text) == (first.id, 2, changed.text)
    assert revised.updated_at is not None and revised.updated_at >= first.fetched_at
    assert revised.flagged_at == first.flagged_at  # same matches: not news again


def test_a_revision_whose_matches_change_is_flagged_again(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    repository.upsert_article(record(topics=["transfers"], content_hash="a"))
    first = _article(repository)
    repository.upsert_article(record(topics=["transfers", "localisation"], content_hash="b"))
    assert _article(repository).flagged_at > first.flagged_at


def test_validators_wait_for_a_completed_run(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    feed = "https://dpa.example/feed.xml"
    run = repository.start_run("run")
    repository.record_endpoint(EndpointResult("dpa", feed, "feed", 200, etag='"v1"', last_modified="Mon"))
    # Killed here: the next run must fetch the feed in full, not get a 304.
    assert repository.endpoint_state(feed) == EndpointState(None, None)
    second = repository.start_run("run")
    with repository.sessions() as session:
        assert session.get(Run, run).status == "interrupted"
    repository.record_endpoint(EndpointResult("dpa", feed, "feed", 200, etag='"v2"', last_modified="Tue"))
    repository.finish_run(second, "ok", {"finish_reason": "finished"})
    assert repository.endpoint_state(feed) == EndpointState('"v2"', "Tue")


def test_prune_keeps_flagged_articles_and_their_evidence(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    old = datetime.now(UTC) - timedelta(days=400)
    repository.upsert_article(record("https://dpa.example/old", published_at=old))
    repository.upsert_article(record("https://dpa.example/old-flagged", published_at=old, topics=["transfers"]))
    repository.upsert_article(record("https://dpa.example/new", published_at=datetime.now(UTC)))
    cutoff = datetime.now(UTC) - timedelta(days=365)
    assert repository.prune(cutoff, dry_run=True) == 1
    assert repository.prune(cutoff) == 1
    with repository.sessions() as session:
        assert set(session.scalars(select(Article.canonical_url))) == {
            "https://dpa.example/old-flagged",
            "https://dpa.example/new",
        }
        assert session.scalar(select(func.count()).select_from(TopicMatch)) == 1
        # The pruned article's countries went with it (foreign keys with ON DELETE CASCADE).
        assert session.scalar(select(func.count()).select_from(ArticleCountry)) == 2
    assert repository.is_stored("https://dpa.example/old")  # not fetched again from a sitemap
    assert repository.prune(cutoff) == 0
