"""Dates are aware UTC; zoneless or ambiguous ones are read in the source's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.extraction.dates import FUTURE_CLAMPED, parse_date, settle_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 10 Jun 2025 09:00:00 +0200", "2025-06-10T07:00:00+00:00"),
        ("Tue, 10 Jun 2025 09:00:00 GMT", "2025-06-10T09:00:00+00:00"),
        ("10 Jun 2025 09:00 EST", "2025-06-10T14:00:00+00:00"),
        ("2025-06-10T09:00:00Z", "2025-06-10T09:00:00+00:00"),
        # No zone, or an abbreviation that pins none down: the source's zone (Brussels, CEST).
        ("Tue, 10 Jun 2025 09:00:00", "2025-06-10T07:00:00+00:00"),
        ("2025-06-10T09:00:00", "2025-06-10T07:00:00+00:00"),
        ("Tue, 10 Jun 2025 09:00:00 CEST", "2025-06-10T07:00:00+00:00"),
        ("2025-06-10 09:00 IST", "2025-06-10T07:00:00+00:00"),
        ("Tue, 10 Jun 2025 09:00:00 XYZ", "2025-06-10T07:00:00+00:00"),
        ("2025-01-10", "2025-01-09T23:00:00+00:00"),
    ],
)
def test_parse_date(value: str, expected: str) -> None:
    parsed = parse_date(value, "Europe/Brussels")
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed.isoformat() == expected


@pytest.mark.parametrize("value", [None, "", "  ", "not a date", "32/13/2025"])
def test_unparseable_is_none(value: str | None) -> None:
    assert parse_date(value, "Asia/Shanghai") is None


def test_future_is_clamped_and_flagged() -> None:
    fetched = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert settle_date(datetime(2027, 1, 1, tzinfo=UTC), fetched) == (fetched, FUTURE_CLAMPED)
    assert settle_date(datetime(2026, 11, 20, 8, 5, tzinfo=UTC), fetched)[1] is None  # clock drift
    assert settle_date(None, fetched) == (None, "missing")
