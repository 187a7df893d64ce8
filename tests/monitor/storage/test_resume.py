"""What a run leaves for the next one when it did not get everything: no 304 may hide an article.

A run promotes the validators of the endpoints that it fetched itself, and only when every
article of their source was stored; what a killed or failed run left pending stays pending for
good (until a later run fetches that endpoint itself), and marks the endpoint's crawl unfinished.
"""

from __future__ import annotations

from monitor.storage import repository_for
from monitor.storage.records import EndpointResult
from monitor.storage.repository import Repository

FINISHED = {"finish_reason": "finished"}


def fetched(source_id: str, url: str, etag: str | None, run_id: int | None, status: int = 200) -> EndpointResult:
    return EndpointResult(
        source_id=source_id, url=url, kind="feed", status=status, etag=etag, last_modified=None, run_id=run_id
    )


def _repository(database_url: str, *source_ids: str) -> Repository:
    repository = repository_for(database_url)
    for source_id in source_ids:
        repository.ensure_source(source_id, source_id.upper(), "regulator", "EU", "en")
    return repository


def test_a_failed_article_keeps_its_sources_validators_unsaved(database_url: str) -> None:
    repository = _repository(database_url, "s", "t")
    run = repository.start_run("run", ["s", "t"])
    repository.record_endpoint(fetched("s", "https://s.example/feed", '"v2"', run))
    repository.record_endpoint(fetched("t", "https://t.example/feed", '"t1"', run))
    repository.finish_run(run, "ok", FINISHED, incomplete_sources={"s"})  # one of s's articles failed
    assert repository.endpoint_state("https://s.example/feed").etag is None
    assert repository.endpoint_state("https://t.example/feed").etag == '"t1"'
    assert repository.unfinished_endpoints() == {"https://s.example/feed"}
    assert set(repository.last_complete_crawls()) == {"t"}


def test_a_run_never_promotes_what_a_killed_run_left_pending(database_url: str) -> None:
    """The sequence of issue 18: a killed full run, a one-source run to the end, a full run."""
    repository = _repository(database_url, "a", "b")
    killed = repository.start_run("run", ["a", "b"])
    repository.record_endpoint(fetched("a", "https://a.example/feed", '"a1"', killed))
    repository.record_endpoint(fetched("b", "https://b.example/feed", '"b1"', killed))
    # ... killed here: no finish_run.
    only_b = repository.start_run("run", ["b"])
    repository.record_endpoint(fetched("b", "https://b.example/feed", '"b1"', only_b))
    repository.finish_run(only_b, "ok", FINISHED)
    assert repository.endpoint_state("https://a.example/feed").etag is None, "promoted another run's validator"
    assert repository.endpoint_state("https://b.example/feed").etag == '"b1"'
    assert repository.unfinished_endpoints() == {"https://a.example/feed"}
    assert set(repository.last_complete_crawls()) == {"b"}
    full = repository.start_run("run", ["a", "b"])
    assert repository.unfinished_endpoints(["a", "b"]) == {"https://a.example/feed"}
    repository.record_endpoint(fetched("a", "https://a.example/feed", '"a1"', full))
    repository.record_endpoint(fetched("b", "https://b.example/feed", None, full, status=304))
    repository.finish_run(full, "ok", FINISHED)
    assert repository.endpoint_state("https://a.example/feed").etag == '"a1"'
    assert repository.endpoint_state("https://b.example/feed").etag == '"b1"', "a 304 keeps the validator sent"
    assert repository.unfinished_endpoints() == set()
    assert set(repository.last_complete_crawls()) == {"a", "b"}


def test_a_run_that_did_not_finish_promotes_nothing(database_url: str) -> None:
    repository = _repository(database_url, "s")
    for status, reason in (("ok", "closespider_timeout"), ("failed", "shutdown"), ("failed", "finished")):
        run = repository.start_run("run", ["s"])
        repository.record_endpoint(fetched("s", "https://s.example/feed", '"v"', run))
        repository.finish_run(run, status, {"finish_reason": reason})
        assert repository.endpoint_state("https://s.example/feed").etag is None, (status, reason)
        assert repository.unfinished_endpoints() == {"https://s.example/feed"}
    assert repository.last_complete_crawls() == {}


def test_a_probe_leaves_the_pending_state_alone(database_url: str) -> None:
    """``sources check`` fetches no article: it records health, never validators or completion."""
    repository = _repository(database_url, "s")
    killed = repository.start_run("run", ["s"])
    repository.record_endpoint(fetched("s", "https://s.example/feed", '"v"', killed))
    probe = repository.start_run("check")
    repository.record_endpoint(fetched("s", "https://s.example/feed", None, None))
    repository.finish_run(probe, "ok", FINISHED)
    assert repository.endpoint_state("https://s.example/feed").etag is None
    assert repository.unfinished_endpoints() == {"https://s.example/feed"}


def test_a_failed_source_is_not_complete_but_its_good_endpoints_are_promoted(database_url: str) -> None:
    repository = _repository(database_url, "s")
    run = repository.start_run("run", ["s"])
    repository.record_endpoint(fetched("s", "https://s.example/feed", '"v"', run))
    repository.record_endpoint(
        EndpointResult("s", "https://s.example/sitemap.xml", "sitemap", 503, error_class="http_5xx", error="HTTP 503")
    )
    repository.finish_run(run, "partial", FINISHED, failed_sources={"s"})
    assert repository.endpoint_state("https://s.example/feed").etag == '"v"'
    assert repository.last_complete_crawls() == {}


def test_the_next_run_marks_a_killed_runs_sources_incomplete(database_url: str) -> None:
    from sqlalchemy import select

    from monitor.storage.models import Run, RunSource

    repository = _repository(database_url, "s")
    killed = repository.start_run("run", ["s"])
    repository.start_run("run", ["s"])
    with repository.sessions() as session:
        assert session.get(Run, killed).status == "interrupted"
        statuses = dict(session.execute(select(RunSource.run_id, RunSource.status)).all())
    assert statuses[killed] == "incomplete"
