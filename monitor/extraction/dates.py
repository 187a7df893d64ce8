"""Publication dates: always timezone-aware UTC, never in the future.

A date that names no zone, or a zone abbreviation nobody can pin down ("CET" on one site is
"CEST" half the year, "IST" is India, Ireland or Israel), is read in the source's configured
timezone: that is where the publisher's CMS clock is.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

# Servers' clocks drift and feeds round to the minute; only a date clearly ahead is suspicious.
FUTURE_TOLERANCE = timedelta(minutes=10)
FUTURE_CLAMPED = "future_clamped"

# Zones that mean one offset wherever they appear (RFC 822's names plus UTC/GMT), in hours;
# any other abbreviation is "unknown" and falls back to the source's timezone. RFC 822's "CST"
# and "CDT" are left out on purpose: Chinese government CMSs write "CST" for China Standard
# Time (+08:00), and RFC 822's US Central reading would put their items 14 hours off.
KNOWN_ZONES = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_TZINFOS = {name: hours * 3600 for name, hours in KNOWN_ZONES.items()}


def _parse(text: str) -> datetime | None:
    with warnings.catch_warnings():
        # dateutil warns on an unknown abbreviation and returns a naive datetime: what we want.
        warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
        try:
            parsed = date_parser.parse(text, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    last = text.rsplit(None, 1)[-1].upper() if " " in text else ""
    if parsed.tzinfo is not None and last.isalpha() and last not in KNOWN_ZONES:
        # dateutil maps a few names (the machine's local zone) on its own; not trusted either.
        return parsed.replace(tzinfo=None)
    return parsed


def parse_date(value: str | None, timezone: str = "UTC") -> datetime | None:
    """Parse an RFC 822 or ISO-like date into aware UTC; a zoneless date is in ``timezone``."""
    if not value or not value.strip():
        return None
    text = value.strip()
    parsed = _parse(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def settle_date(candidate: datetime | None, fetched_at: datetime) -> tuple[datetime | None, str | None]:
    """Clamp a future date to the fetch time and say so; return (date, status)."""
    if candidate is None:
        return None, "missing"
    if candidate.tzinfo is None:
        candidate = candidate.replace(tzinfo=UTC)
    candidate = candidate.astimezone(UTC)
    if candidate > fetched_at + FUTURE_TOLERANCE:
        return fetched_at, FUTURE_CLAMPED
    return candidate, None
