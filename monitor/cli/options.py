"""Values that several commands take, parsed in one place: dates, ages, topic ids, country codes.

Every bad value is a UsageError: exit code 2 and one line that names the option and the value,
so that ``monitor items --since 7d`` and ``monitor digest --since 7d`` cannot disagree again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from monitor.errors import UsageError

if TYPE_CHECKING:
    from monitor.config import AppConfig
    from monitor.storage.queries import ItemFilter

# An age: a whole number and a unit. "m" is refused, not guessed: months or minutes?
_AGE = re.compile(r"^(\d+)(min|h|d|w)$")
_UNITS = {"min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
AGE_HELP = "an age such as 36h, 7d or 2w (30min for minutes)"

# Close matches offered for a mistyped topic id or country code.
SUGGESTIONS = 3


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
    better than spelling distance (the code of a country name).
    """
    choices = sorted(set(known))
    if value in choices:
        return value
    close = list(dict.fromkeys([*first, *difflib.get_close_matches(value, choices, n=SUGGESTIONS, cutoff=0.5)]))
    hint = f"did you mean {', '.join(close[:SUGGESTIONS])}?" if close else f"known: {', '.join(choices) or 'none'}"
    raise UsageError(f"{option} {given or value!r}: unknown {what}; {hint}")


def topic_id(config: AppConfig, value: str | None, option: str = "--topic") -> str | None:
    """A topic id of the loaded watchlist (``config/watchlists.yaml``), or None when not given."""
    if value is None:
        return None
    return check_known(value.strip(), (topic.id for topic in config.watchlist.topics), option, "topic id")


def country_code(config: AppConfig, value: str | None, option: str = "--country") -> str | None:
    """An ISO 3166-1 alpha-2 code, or a code the watchlist's country lexicon adds (EU), upper-cased."""
    if value is None:
        return None
    given = value.strip()
    codes = known_country_codes(config)
    return check_known(given.upper(), codes, option, "country code", given=given, first=_named_code(given))


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
    )


def known_country_codes(config: AppConfig) -> frozenset[str]:
    """What the jurisdiction matcher can tag: pycountry's codes plus those the lexicon defines (EU)."""
    lexicon = config.watchlist.countries
    extra = {*lexicon.aliases, *lexicon.demonyms, *lexicon.institutions}
    for resolver in lexicon.resolvers:
        extra.update(code for case in resolver.cases for code in (case.code, case.if_mentioned) if code)
        if resolver.default:
            extra.add(resolver.default)
    return _iso_codes() | frozenset(extra)


# Codes people type that ISO 3166-1 spells otherwise (the EU's own style guide uses both).
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def _named_code(value: str) -> list[str]:
    """The alpha-2 code of a country name or alpha-3 code (``Germany``, ``DEU``: DE), if it is one."""
    import pycountry

    if value.upper() in _NOT_ISO:
        return [_NOT_ISO[value.upper()]]
    try:
        return [pycountry.countries.lookup(value).alpha_2]
    except LookupError:
        return []


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)
