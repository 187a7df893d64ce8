"""Topic and jurisdiction matchers: pure code, no Scrapy or database imports.

Build a :class:`Matcher` once per process with ``Matcher.from_file(config/watchlists.yaml)``
and call ``match(title, text, language)`` per article.

The names below are imported on first use, so that reading the language registry
(``monitor.matching.languages``, used by extraction and dedupe) does not load the matcher.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.matching.countries import CountryMatcher
    from monitor.matching.matcher import Matcher
    from monitor.matching.result import CountryHit, Evidence, MatchResult, TopicHit
    from monitor.matching.topics import TopicMatcher

_MODULES = {
    "CountryHit": "result",
    "CountryMatcher": "countries",
    "Evidence": "result",
    "MatchResult": "result",
    "Matcher": "matcher",
    "TopicHit": "result",
    "TopicMatcher": "topics",
}

__all__ = ["CountryHit", "CountryMatcher", "Evidence", "MatchResult", "Matcher", "TopicHit", "TopicMatcher"]


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
