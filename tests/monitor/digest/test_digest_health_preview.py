"""Source health in the footer, and the preview files that write nothing to the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from monitor.digest import write_preview
from monitor.digest.health import source_health
from monitor.storage.models import Digest
from monitor.storage.records import EndpointResult
from tests.monitor.digest.digest_helpers import NOW, Corpus, standard_corpus


def test_health_reports_failing_then_silent_sources(corpus: Corpus) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    old = datetime(2024, 1, 2, tzinfo=UTC)
    corpus.repository.ensure_source("dpc", "Data Protection Commission", "regulator", "IE", "en")
    corpus.repository.record_endpoint(
        EndpointResult("dpc", "https://dpc.example.org/feed", "feed", 200, newest_item_at=old)
    )
    with corpus.repository.sessions() as session:
        problems = source_health(session, now=NOW + timedelta(days=60), silent_after_days=30)
    assert [(p.source_id, p.state) for p in problems][:1] == [("bfdi", "failing")]
    assert "HTTP 503" in problems[0].detail and "Service Unavailable" in problems[0].detail
    assert ("dpc", "silent") in [(p.source_id, p.state) for p in problems]
    with corpus.repository.sessions() as session:
        fresh = source_health(session, now=NOW, silent_after_days=30)
    assert [(p.source_id, p.state) for p in fresh] == [("bfdi", "failing"), ("dpc", "silent")]


def test_write_preview_renders_all_flagged_items_without_db_writes(corpus: Corpus, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=6))
    files = write_preview(corpus.url, tmp_path / "out", title="Demo digest")
    assert files.item_count == 4
    assert files.topic_counts == {"cross_border_transfers": 3, "cloud_sovereignty": 1}
    html = files.html.read_text(encoding="utf-8")
    assert "Demo digest" in html and "BfDI fordert souveräne Cloud für den Bund" in html
    assert "Preview by news-monitor." in files.text.read_text(encoding="utf-8")
    with corpus.repository.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Digest)) == 0
    later = write_preview(corpus.url, tmp_path / "later", since=datetime.now(UTC) + timedelta(hours=2))
    assert later.item_count == 0
