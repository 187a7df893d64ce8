"""``monitor items`` and ``monitor feed`` list flagged items by best topic score and carry both country lists."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest

from monitor.storage.records import CountryRecord, TopicRecord
from tests.monitor.cli.test_match_command import run
from tests.monitor.cli.test_options import _config
from tests.monitor.storage.factories import WHEN, record, repository_with_sources

# (name, best score, hours old): the strongest is the oldest, the newest the weakest.
ITEMS = [("weak", 0.42, 1), ("strong", 0.96, 30), ("middle", 0.7, 5)]


@pytest.fixture
def stored(sqlite_url: str) -> str:
    repository = repository_with_sources(sqlite_url)
    for name, score, hours in ITEMS:
        when = WHEN - timedelta(hours=hours)
        article = record(f"https://dpa.example/{name}", flagged=True, published_at=when, fetched_at=when)
        article.topics = [TopicRecord("cross_border_transfers", score, ["transfer"])]
        article.countries = [CountryRecord("FR", 0, 3, True), CountryRecord("US", 1, 1, False)]
        repository.upsert_article(article)
    return sqlite_url


def test_items_flagged_jsonl_best_score_first_with_both_lists(
    stored: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(_config(tmp_path)), "--db", stored, "items"]
    code, out, err = run(monkeypatch, capsys, *base, "--flagged", "--format", "jsonl")
    assert code == 0, err
    items = [json.loads(line) for line in out.splitlines()]
    assert [item["url"].rsplit("/", 1)[1] for item in items] == ["strong", "middle", "weak"]
    assert all(item["countries"] == ["FR"] and item["mentioned_countries"] == ["FR", "US"] for item in items)
    code, out, err = run(monkeypatch, capsys, *base, "--format", "jsonl")
    assert [json.loads(line)["url"].rsplit("/", 1)[1] for line in out.splitlines()] == ["weak", "middle", "strong"]
    code, out, err = run(monkeypatch, capsys, *base, "--flagged")
    assert code == 0 and "mentioned" in out and "0.96" in out, out


def test_feed_lists_stories_by_score_and_tags_what_they_are_about(
    stored: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "feed.xml"
    code, _out, err = run(
        monkeypatch, capsys, "--config", str(_config(tmp_path)), "--db", stored, "feed", "--out", str(out_file)
    )
    assert code == 0, err
    entries = feedparser.parse(out_file.read_bytes()).entries
    assert [entry.link.rsplit("/", 1)[1] for entry in entries] == ["strong", "middle", "weak"]
    assert {tag.term for tag in entries[0].tags} == {"cross_border_transfers", "FR"}, "US is only mentioned"
