"""Export streams: memory stays flat however many articles are stored (figure in the README, "Export")."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
from sqlalchemy import insert

from monitor.digest.stories import stories_for
from monitor.export.atom import build_feed, write_feed
from monitor.storage.models import Article
from monitor.storage.queries import STREAM_BATCH, ItemFilter, iter_items, to_item
from tests.monitor.storage.factories import record, repository_with_sources

TEXT = "Personal data transfers to third countries. " * 110  # about 5 KB an article


def _add(repository, first: int, count: int) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    with repository.sessions.begin() as session:
        session.execute(
            insert(Article),
            [
                {
                    "canonical_url": f"https://dpa.example/{n}",
                    "url": f"https://dpa.example/{n}",
                    "source_id": "dpa",
                    "title": f"Item {n}",
                    "text": TEXT,
                    "summary": "",
                    "fetched_at": now - timedelta(minutes=n),
                    "content_type": "html",
                    "extraction_status": "ok",
                    "revision": 1,
                    "flagged": False,
                    "reason": "",
                }
                for n in range(first, first + count)
            ],
        )


def _export_peak(repository) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Peak Python memory while exporting every article as JSON lines to a sink that keeps nothing."""
    written = 0
    tracemalloc.start()
    with repository.sessions() as session:
        for article in iter_items(session, ItemFilter()):
            written += len(json.dumps(to_item(article)) + "\n")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, written


def test_jsonl_export_memory_does_not_grow_with_the_table(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    _add(repository, 0, STREAM_BATCH * 2)
    small, _ = _export_peak(repository)
    _add(repository, STREAM_BATCH * 2, STREAM_BATCH * 6)
    large, written = _export_peak(repository)
    # Four times the rows (about 20 MB of JSON) and the peak stays that of a couple of batches.
    assert written > 4 * STREAM_BATCH * len(TEXT)
    assert large < small * 1.5, f"peak {small / 1e6:.1f} MB for 2 batches, {large / 1e6:.1f} MB for 8"


def test_atom_feed_of_flagged_stories_validates(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    repository = repository_with_sources(database_url)
    repository.upsert_article(
        record(
            "https://daily.example/copy",
            source_id="daily",
            topics=["transfers"],
            title="Regulator halts <transfers> & more\x0b",
            duplicate_of="https://dpa.example/release",
        )
    )
    repository.upsert_article(record("https://dpa.example/release", topics=["transfers"], reason="matched transfers"))
    repository.upsert_article(record("https://dpa.example/unflagged"))
    with repository.sessions() as session:
        articles = list(iter_items(session, ItemFilter(flagged=True)))
        stories = stories_for(session, articles, repository.source_kinds())
        out = tmp_path / "flagged.xml"
        write_feed(build_feed(stories, {"dpa": "Data Protection Authority", "daily": "The Daily"}), out)
    parsed = feedparser.parse(out.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert entry.link == "https://dpa.example/release" and entry.author == "Data Protection Authority"
    assert "Also reported by The Daily." in entry.summary
    assert {tag.term for tag in entry.tags} >= {"transfers", "FR"}
    ET.parse(out)  # well-formed XML


def test_csv_rows_survive_commas_and_newlines() -> None:
    item = to_item.__doc__  # the contract is documented
    assert item
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["a, b", "line\nbreak"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["a, b", "line\nbreak"]
