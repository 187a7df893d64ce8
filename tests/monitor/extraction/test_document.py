from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.extraction import detect_kind, extract_document
from monitor.extraction.dates import parse_date, settle_date
from tests.helpers import FIXTURES_DIR

PAGES = FIXTURES_DIR / "pages"
FETCHED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_regulator_page_text_without_boilerplate_or_comments() -> None:
    body = (PAGES / "edpb_statement.html").read_bytes()
    result = extract_document(body, "https://edb.example/news/dpf_en", "text/html; charset=utf-8", fetched_at=FETCHED)
    assert result.kind == "html" and result.status == "ok"
    assert result.title == "Statement on the second review of the EU-U.S. Data Privacy Framework"
    assert "Data Protection Review Court" in result.text and "Section 702" in result.text
    for boilerplate in ("cookies", "Legal notice", "Plenary agenda", "Great statement"):
        assert boilerplate not in result.text
    assert result.language == "en"
    assert result.published_at is not None and result.published_at.date().isoformat() == "2026-11-12"
    assert result.content_hash and len(result.content_hash) == 64


def test_feed_metadata_fills_and_wins_for_date() -> None:
    body = (PAGES / "edpb_statement.html").read_bytes()
    feed_date = datetime(2026, 11, 12, 13, 0, tzinfo=UTC)
    result = extract_document(body, None, "text/html", feed_published=feed_date, fetched_at=FETCHED)
    assert result.published_at == feed_date


def test_page_without_article_text_is_empty() -> None:
    result = extract_document(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", None, "text/html")
    assert result.status == "empty"


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b"%PDF-1.7\n...", "application/octet-stream", "pdf"),
        (b"%PDF-1.4\n...", "text/html", "pdf"),
        (b"\n\n%PDF-1.4", None, "pdf"),
        (b"<html></html>", "application/pdf", "pdf"),
        (b"\x89PNG\r\n", "image/png", "binary"),
        (b"PK\x03\x04", "application/zip", "binary"),
        (b"\x00\x01\x02", "application/octet-stream", "binary"),
        (b"<!doctype html><html>", "application/octet-stream", "html"),
        (b"<html>", None, "html"),
    ],
)
def test_detect_kind(body: bytes, content_type: str | None, kind: str) -> None:
    assert detect_kind(body, content_type) == kind


def test_binary_is_skipped_with_reason() -> None:
    result = extract_document(b"\x89PNG\r\n\x1a\n", None, "image/png")
    assert result.status == "skipped" and "image/png" in result.detail


def test_dates_zone_and_future() -> None:
    assert parse_date("2026-11-02", "Europe/Paris") == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    assert parse_date("2026-11-02T10:00:00+01:00") == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert parse_date("not a date") is None
    future = FETCHED + timedelta(days=3)
    assert settle_date(future, FETCHED) == (FETCHED, "future_clamped")
    assert settle_date(FETCHED - timedelta(days=1), FETCHED) == (FETCHED - timedelta(days=1), None)
    assert settle_date(None, FETCHED) == (None, "missing")
