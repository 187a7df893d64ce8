"""The small pieces behind the pages: throttle windows, mutes on a match, evidence runs, chart geometry."""

from __future__ import annotations

from collections import Counter
from datetime import date

from monitor.reports.trends import chart
from monitor.storage.feedback import ANY_TOPIC, Mutes
from monitor.storage.records import MatchRecord, TopicRecord
from monitor.web.highlight import runs, spans
from monitor.web.throttle import LoginThrottle


def test_the_throttle_forgets_failures_older_than_its_window() -> None:
    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("user:ana")
    assert throttle.retry_after("user:ana") == 61
    assert throttle.retry_after("user:vic") == 0
    now[0] += 30
    assert 0 < throttle.retry_after("user:ana") <= 31
    now[0] += 31
    assert throttle.retry_after("user:ana") == 0
    throttle.failed("user:ana")
    throttle.succeeded("user:ana")
    assert throttle.retry_after("user:ana") == 0


def _match() -> MatchRecord:
    return MatchRecord(
        topics=[
            TopicRecord(
                "a", 0.9, ["Cloud Act", "server"], [{"term": "Cloud Act", "rule": "a:en:0"}, {"term": "server"}]
            ),
            TopicRecord("b", 0.5, ["Cloud Act"], [{"term": "CLOUD act", "rule": "b:en:0"}]),
        ],
        flagged=True,
        reason='a: "Cloud Act"; b: "Cloud Act"',
    )


def test_mutes_take_topics_off_a_match() -> None:
    match = _match()
    assert Mutes().apply(match, "src") is match
    assert Mutes(sources=frozenset({("other", "a")})).apply(match, "src") is match
    by_source = Mutes(sources=frozenset({("src", "b")})).apply(match, "src")
    assert [t.topic for t in by_source.topics] == ["a"] and by_source.flagged and by_source.reason == 'a: "Cloud Act"'
    term_everywhere = Mutes(terms=frozenset({("cloud act", ANY_TOPIC)})).apply(match, "src")
    assert [(t.topic, t.terms) for t in term_everywhere.topics] == [("a", ["server"])]  # b had nothing else
    term_in_b = Mutes(terms=frozenset({("cloud act", "b")})).apply(match, "src")
    assert [t.topic for t in term_in_b.topics] == ["a"]
    everything = Mutes(sources=frozenset({("src", "a"), ("src", "b")})).apply(match, "src")
    assert everything.topics == [] and not everything.flagged and everything.reason == ""


def test_evidence_runs_mark_overlaps_and_skip_spans_that_no_longer_fit() -> None:
    text = "EU data transfer rules"
    evidence = [
        {"field": "text", "start": 3, "end": 16, "rule": "r1", "term": "data transfer"},
        {"field": "text", "start": 8, "end": 16, "rule": "r2", "term": "transfer"},
        {"field": "text", "start": 10, "end": 99, "rule": "r3", "term": "stale"},
        {"field": "title", "start": 0, "end": 2, "rule": "r4", "term": "EU"},
    ]
    marked = spans(evidence, "text", len(text))
    assert [(s.number, s.start, s.end) for s in marked] == [(1, 3, 16), (2, 8, 16)]
    cut = runs(text, marked)
    assert [(r.text, r.marks, r.anchor) for r in cut] == [
        ("EU ", (), None),
        ("data ", (1,), 1),
        ("transfer", (1, 2), 2),
        (" rules", (), None),
    ]
    assert "".join(r.text for r in runs("a\x00b", [])) == "ab"


def test_the_chart_scales_to_the_largest_week_and_keeps_the_biggest_series() -> None:
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    counts = {f"t{i}": Counter({weeks[0]: i}) for i in range(1, 11)}
    drawn = chart("x", weeks, counts, {"t10": "Ten"})
    assert len(drawn.series) == 8 and drawn.series[0].label == "Ten" and drawn.series[0].total == 10
    assert [value for _y, value in drawn.y_ticks] == [0, 5, 10, 15, 20]  # 10 rounds up to four steps of 5
    first_y = float(drawn.series[0].points.split()[0].split(",")[1])
    assert first_y < float(drawn.series[-1].points.split()[0].split(",")[1])  # higher count, higher on the chart
