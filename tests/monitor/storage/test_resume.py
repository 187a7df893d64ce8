"""What a run leaves for the next one when it did not get everything: no 304 may hide an article."""

from __future__ import annotations

from monitor.storage import repository_for
from monitor.storage.records import EndpointResult


def feed_ok(url: str, etag: str) -> EndpointResult:
    return EndpointResult(source_id="s", url=url, kind="feed", status=200, etag=etag, last_modified=None)


def test_failed_article_keeps_validators_unsaved(database_url: str) -> None:
    repository = repository_for(database_url)
    repository.ensure_source("s", "Source", "regulator", "EU", "en")
    repository.ensure_source("t", "Other", "regulator", "EU", "en")
    run = repository.start_run("run")
    repository.record_endpoint(feed_ok("https://s.example/feed", '"v2"'))
    repository.record_endpoint(
        EndpointResult(source_id="t", url="https://t.example/feed", kind="feed", status=200, etag='"t1"')
    )
    repository.discard_pending_validators("s")  # one of s's articles failed to download
    repository.finish_run(run, "ok", {"finish_reason": "finished"})
    assert repository.endpoint_state("https://s.example/feed").etag is None
    assert repository.endpoint_state("https://t.example/feed").etag == '"t1"'


def test_previous_run_complete(database_url: str) -> None:
    repository = repository_for(database_url)
    first = repository.start_run("run")
    assert repository.previous_run_complete(first)
    repository.finish_run(first, "ok", {"finish_reason": "closespider_timeout"})
    second = repository.start_run("run")
    assert not repository.previous_run_complete(second), "a run cut by its time limit did not read every page"
    repository.finish_run(second, "partial", {"finish_reason": "finished"})
    third = repository.start_run("run")
    assert repository.previous_run_complete(third)
    fourth = repository.start_run("run")  # third never finished: killed
    assert not repository.previous_run_complete(fourth)
