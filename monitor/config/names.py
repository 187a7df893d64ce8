"""The topic ids and country codes a watchlist knows, and the close matches offered for a typo.

One check for every place a name is typed: the command-line options (``monitor.cli.options``) and
the digest subscriptions of ``monitor.yaml`` (``check_subscriptions``), so that a typo is an error
with suggestions everywhere, never a silently empty result.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.config.schema import MonitorSettings
    from monitor.matching.watchlist import Watchlist

# Close matches offered for a mistyped topic id or country code.
SUGGESTIONS = 3

# Codes people type that ISO 3166-1 spells otherwise (the EU's own style guide uses both).
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def unknown(value: str, known: Iterable[str], what: str, *, first: Iterable[str] = ()) -> str | None:
    """None when ``value`` is one of ``known``; else ``unknown WHAT; did you mean A, B?``.

    ``first`` are suggestions better than spelling distance (the code of a country name).
    """
    choices = sorted(set(known))
    if value in choices:
        return None
    close = list(dict.fromkeys([*first, *difflib.get_close_matches(value, choices, n=SUGGESTIONS, cutoff=0.5)]))
    hint = f"did you mean {', '.join(close[:SUGGESTIONS])}?" if close else f"known: {', '.join(choices) or 'none'}"
    return f"unknown {what}; {hint}"


def topic_ids(watchlist: Watchlist) -> frozenset[str]:
    return frozenset(topic.id for topic in watchlist.topics)


def country_codes(watchlist: Watchlist) -> frozenset[str]:
    """What the jurisdiction matcher can tag: pycountry's codes plus those the lexicon defines (EU)."""
    lexicon = watchlist.countries
    extra = {*lexicon.aliases, *lexicon.demonyms, *lexicon.institutions}
    for resolver in lexicon.resolvers:
        extra.update(code for case in resolver.cases for code in (case.code, case.if_mentioned) if code)
        if resolver.default:
            extra.add(resolver.default)
    return iso_codes() | frozenset(extra)


def unknown_country(value: str, watchlist: Watchlist) -> str | None:
    """``unknown(...)`` for a country code as typed (any case; a name or alpha-3 code is suggested as its code)."""
    return unknown(value.strip().upper(), country_codes(watchlist), "country code", first=named_code(value.strip()))


def named_code(value: str) -> list[str]:
    """The alpha-2 code of a country name or alpha-3 code (``Germany``, ``DEU``: DE), if it is one."""
    import pycountry

    if value.upper() in _NOT_ISO:
        return [_NOT_ISO[value.upper()]]
    try:
        return [pycountry.countries.lookup(value).alpha_2]
    except LookupError:
        return []


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def check_subscriptions(settings: MonitorSettings, watchlist: Watchlist) -> tuple[str, str] | None:
    """The first digest subscription naming an unknown topic or country: (key, message), or None.

    Recipients (the daily e-mail) and channel subscriptions alike: a typo would silently leave a
    mailbox or a chat channel empty.
    """
    topics = topic_ids(watchlist)
    wanted: list[tuple[str, dict[str, list[str]], list[str]]] = [
        (f"digest.recipients[{r.email}]", {"topics": r.topics}, r.countries) for r in settings.digest.recipients
    ]
    wanted += [
        (f"digest.subscriptions[{s.name}]", {"topics": s.topics, "urgent_topics": s.urgent_topics}, s.countries)
        for s in settings.digest.subscriptions
    ]
    for key, topic_fields, countries in wanted:
        for field_name, names in topic_fields.items():
            for topic in names:
                problem = unknown(topic, topics, "topic id")
                if problem:
                    return f"{key}.{field_name}", f"{topic!r}: {problem}"
        for code in countries:
            problem = unknown_country(code, watchlist)
            if problem:
                return f"{key}.countries", f"{code!r}: {problem}"
    return None
