from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from monitor.storage.models import Article, ArticleCountry, Run, TopicMatch
from monitor.storage.records import CitedDocument, CountryRecord, EndpointResult
from monitor.storage.repository import EndpointState
from tests.monitor.storage.factories import record, repository_with_sources


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
    repository.record_endpoint(EndpointResult("dpa", feed, "feed", 200, etag='"v1"', last_modified="Mon", run_id=run))
    # Killed here: the next run must fetch the feed in full, not get a 304.
    assert repository.endpoint_state(feed) == EndpointState(None, None)
    second = repository.start_run("run")
    with repository.sessions() as session:
        assert session.get(Run, run).status == "interrupted"
    repository.record_endpoint(
        EndpointResult("dpa", feed, "feed", 200, etag='"v2"', last_modified="Tue", run_id=second)
    )
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


def _matches(repository, url: str = "https://dpa.example/news/1"):  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        article_id = session.scalar(select(Article.id).where(Article.canonical_url == url))
        topics = sorted(session.scalars(select(TopicMatch.topic).where(TopicMatch.article_id == article_id)))
        countries = sorted(
            session.execute(
                select(ArticleCountry.code, ArticleCountry.rank).where(ArticleCountry.article_id == article_id)
            ).all()
        )
        return topics, countries


def test_an_insert_stores_its_topics_and_countries_and_a_revision_replaces_them(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    first = record(topics=["transfers", "localisation"], content_hash="a")
    first.countries = [CountryRecord("FR", 0, 2, True), CountryRecord("EU", 1, 1, False)]
    assert repository.upsert_article(first) == "inserted"
    assert _matches(repository) == (["localisation", "transfers"], [("EU", 1), ("FR", 0)])
    evidence = [{"term": "transfers", "at": [3, 12]}]
    revised = record(topics=["transfers"], content_hash="b")
    revised.topics[0].evidence = evidence
    revised.countries = [CountryRecord("FR", 0, 1, True), CountryRecord("DE", 1, 1, False)]
    assert repository.upsert_article(revised) == "updated"
    assert _matches(repository) == (["transfers"], [("DE", 1), ("FR", 0)])
    article = _article(repository)
    assert [(t.topic, t.evidence) for t in article_topics(repository, article.id)] == [("transfers", evidence)]
    # Unflagged now: no longer news.
    assert repository.upsert_article(record(content_hash="c", countries=[])) == "updated"
    assert _matches(repository) == ([], [])
    assert _article(repository).flagged_at is None and _article(repository).revision == 3


def article_topics(repository, article_id: int) -> list[TopicMatch]:  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        return list(session.scalars(select(TopicMatch).where(TopicMatch.article_id == article_id)))


def test_the_signature_made_in_the_worker_is_stored_unless_cleaning_changed_the_text(database_url: str) -> None:
    from monitor.dedupe.similarity import fingerprint

    repository = repository_with_sources(database_url)
    text = " ".join(f"word{n}" for n in range(60))
    repository.upsert_article(record(text=text, fingerprint=b"made in the worker"))
    assert _article(repository).fingerprint == b"made in the worker"
    dirty = text + "\x00"
    repository.upsert_article(record("https://dpa.example/news/2", text=dirty, fingerprint=b"of the dirty text"))
    assert _article(repository, "https://dpa.example/news/2").fingerprint == fingerprint(text)
    repository.upsert_article(record("https://dpa.example/news/3", text=text))
    assert _article(repository, "https://dpa.example/news/3").fingerprint == fingerprint(text)


def test_a_url_stored_by_another_process_becomes_a_revision(database_url: str) -> None:
    from monitor.storage import dispose_all

    repository = repository_with_sources(database_url)
    assert repository.upsert_article(record(content_hash="a", topics=["transfers"])) == "inserted"
    dispose_all()  # as if another process: a fresh engine and sessions
    other = repository_with_sources(database_url)
    assert other.upsert_article(record(content_hash="a", topics=["transfers"])) == "unchanged"
    assert other.upsert_article(record(content_hash="b", topics=["transfers"])) == "updated"
    with other.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        assert session.scalar(select(func.count()).select_from(TopicMatch)) == 1


def test_stored_fetch_times_name_only_stored_urls(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    repository.upsert_article(record("https://dpa.example/news/1", fetched_at=datetime(2026, 11, 1, 8, 0, tzinfo=UTC)))
    times = repository.stored_fetch_times(["https://dpa.example/news/1", "https://dpa.example/news/2"])
    assert times == {"https://dpa.example/news/1": datetime(2026, 11, 1, 8, 0, tzinfo=UTC)}
    assert repository.stored_fetch_times([]) == {}


def test_pending_documents_keep_their_first_record_count_failures_and_are_forgotten(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    first = CitedDocument("https://dpa.example/d.pdf", "https://dpa.example/d.pdf?x=1", "dpa", "https://dpa.example/a")
    repository.remember_documents(
        [first, CitedDocument("https://wire.example/w.pdf", "https://wire.example/w.pdf", "wire")]
    )
    # Cited again by another page, and in a batch with itself: one row, the first citing page.
    repository.remember_documents(
        [first, CitedDocument(first.canonical_url, first.url, "dpa", "https://dpa.example/b")]
    )
    (kept,) = repository.pending_documents(["dpa"])
    assert (kept.url, kept.found_on, kept.failures, kept.last_error) == (first.url, "https://dpa.example/a", 0, None)
    assert repository.document_failed(first.canonical_url, "HTTP 503 (http_5xx)") == 1
    assert repository.document_failed(first.canonical_url, "timed out (timeout)\x00") == 2
    (kept,) = repository.pending_documents(["dpa"])
    assert (kept.failures, kept.last_error) == (2, "timed out (timeout)")
    assert repository.document_failed("https://dpa.example/never-cited.pdf", "x") == 0
    repository.forget_documents([first.canonical_url, "https://dpa.example/never-cited.pdf"])
    assert repository.pending_documents(["dpa"]) == []
    assert [d.source_id for d in repository.pending_documents(["dpa", "wire"])] == ["wire"]
    assert repository.pending_documents([]) == []
