"""Publication dates: always timezone-aware UTC, never in the future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

# Servers' clocks drift and feeds round to the minute; only a date clearly ahead is suspicious.
FUTURE_TOLERANCE = timedelta(minutes=10)


def parse_date(value: str | None, timezone: str = "UTC") -> datetime | None:
    """Parse an ISO-like date; a date without a zone is taken in the source's timezone."""
    if not value:
        return None
    try:
        parsed = date_parser.parse(value.strip())
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed.astimezone(UTC)


def settle_date(candidate: datetime | None, fetched_at: datetime) -> tuple[datetime | None, str | None]:
    """Clamp a future date to the fetch time and say so; return (date, status)."""
    if candidate is None:
        return None, "missing"
    if candidate.tzinfo is None:
        candidate = candidate.replace(tzinfo=UTC)
    candidate = candidate.astimezone(UTC)
    if candidate > fetched_at + FUTURE_TOLERANCE:
        return fetched_at, "future_clamped"
    return candidate, None
