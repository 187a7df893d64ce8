"""Values that several commands take, parsed in one place: dates, ages, topic ids, country codes.

Every bad value is a UsageError: exit code 2 and one line that names the option and the value,
so that ``monitor items --since 7d`` and ``monitor digest --since 7d`` cannot disagree again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from monitor.config.names import country_codes, named_code, topic_ids, unknown
from monitor.errors import UsageError

if TYPE_CHECKING:
    from monitor.config import AppConfig
    from monitor.storage.queries import ItemFilter

# An age: a whole number and a unit. "m" is refused, not guessed: months or minutes?
_AGE = re.compile(r"^(\d+)(min|h|d|w)$")
_UNITS = {"min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
AGE_HELP = "an age such as 36h, 7d or 2w (30min for minutes)"


def parse_age(value: str, option: str) -> timedelta:
    """``36h``, ``7d``, ``2w`` or ``30min`` as a timedelta; anything else is a UsageError."""
    match = _AGE.match(value.strip().lower())
    if not match:
        ambiguous = "months or minutes? " if re.fullmatch(r"\d+m", value.strip().lower()) else ""
        raise UsageError(f"{option} {value!r}: {ambiguous}use {AGE_HELP}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_when(value: str | None, option: str = "--since", *, now: datetime | None = None) -> datetime | None:
    """An ISO date or datetime (naive means UTC), or an age counted back from ``now``."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d+[a-z]+", text.lower()):  # meant as an age: 7d, or a unit to explain (6m)
        return (now or datetime.now(UTC)) - parse_age(text, option)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"{option} {value!r}: use a date (2026-11-01), a datetime (2026-11-01T07:00+01:00) or {AGE_HELP}"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_known(
    value: str, known: Iterable[str], option: str, what: str, *, given: str | None = None, first: Iterable[str] = ()
) -> str:
    """``value`` if it is one of ``known``; else a UsageError naming it and its closest matches.

    ``given`` is the value as typed, when ``value`` is its normalised form; ``first`` are suggestions
    better than spelling distance (the code of a country name). The check is ``monitor.config.names``',
    the one that digest subscriptions get too.
    """
    problem = unknown(value, known, what, first=first)
    if problem:
        raise UsageError(f"{option} {given or value!r}: {problem}")
    return value


def topic_id(config: AppConfig, value: str | None, option: str = "--topic") -> str | None:
    """A topic id of the loaded watchlist (``config/watchlists.yaml``), or None when not given."""
    if value is None:
        return None
    return check_known(value.strip(), topic_ids(config.watchlist), option, "topic id")


def country_code(config: AppConfig, value: str | None, option: str = "--country") -> str | None:
    """An ISO 3166-1 alpha-2 code, or a code the watchlist's country lexicon adds (EU), upper-cased."""
    if value is None:
        return None
    given = value.strip()
    codes = country_codes(config.watchlist)
    return check_known(given.upper(), codes, option, "country code", given=given, first=named_code(given))


def item_filter(
    config: AppConfig,
    *,
    flagged: bool,
    topic: str | None,
    country: str | None,
    source: str | None,
    since: str | None,
    limit: int | None = None,
) -> ItemFilter:
    """The filter that ``items``, ``search`` and the exports share, each option checked once here."""
    from monitor.storage.queries import ItemFilter

    return ItemFilter(
        flagged=flagged,
        topic=topic_id(config, topic),
        country=country_code(config, country),
        source=source,
        since=parse_when(since),
        limit=limit,
        # Flagged items (a topic's are all flagged) are listed by how much they are about a topic.
        by_score=flagged or topic is not None,
    )
