"""The trends of the web page, as the digest shows them: counts from a real database, rendered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.digest.render import DigestView, render
from monitor.reports.trends import digest_trends
from tests.monitor.storage.factories import record, repository_with_sources

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday


def test_digest_shows_weekly_counts_per_topic_and_jurisdiction(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    # Two items this week, one three weeks ago, one unflagged (not counted), one too old for 8 weeks.
    for number, (age, topics) in enumerate(
        [(1, ["data_localization"]), (2, ["data_localization"]), (21, ["data_localization"]), (3, []), (80, ["x"])]
    ):
        when = NOW - timedelta(days=age)
        repository.upsert_article(
            record(f"https://dpa.example/{number}", topics=topics, published_at=when, fetched_at=when)
        )
    with repository.sessions() as session:
        trends = digest_trends(session, now=NOW, topic_labels={"data_localization": "Data <localisation>"})
    (row,) = trends.topics.rows
    assert row.label == "Data <localisation>"
    assert [cell.count for cell in row.cells] == [0, 0, 0, 0, 1, 0, 0, 2]
    assert row.total == 3
    assert [(r.label, r.total) for r in trends.jurisdictions.rows] == [("FR", 3)]
    view = DigestView(title="Digest", window_start=None, window_end=NOW, timezone="UTC", entries=[], trends=trends)
    rendered = render(view)
    assert "Data &lt;localisation&gt;" in rendered.html and "<localisation>" not in rendered.html
    assert "Flagged items per topic and week" in rendered.html
    assert "  Data <localisation>    0   0   0   0   1   0   0   2 = 3" in rendered.text
    assert "  FR    0   0   0   0   1   0   0   2 = 3" in rendered.text
    assert "<svg" not in rendered.html  # mail clients strip it: a table instead


def test_a_digest_without_trends_renders_as_before() -> None:
    view = DigestView(title="Digest", window_start=None, window_end=NOW, timezone="UTC", entries=[])
    rendered = render(view)
    assert "per topic and week" not in rendered.text and "per topic and week" not in rendered.html
