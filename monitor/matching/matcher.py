"""Topics and jurisdictions in one pass of one automaton."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from monitor.matching.automaton import Field, TermIndex
from monitor.matching.countries import CountryMatcher
from monitor.matching.normalize import normalize, warm_up
from monitor.matching.result import MatchResult, build_reason
from monitor.matching.topics import TopicMatcher, TopicPayload
from monitor.matching.watchlist import Watchlist, load_watchlist

logger = logging.getLogger(__name__)


class Matcher:
    """Build once per process (``Matcher.from_file``); ``match`` is read-only and thread-safe."""

    def __init__(self, topics: TopicMatcher, countries: CountryMatcher) -> None:
        self.topics = topics
        self.countries = countries
        self.topic_ids: list[str] = list(topics.topic_ids)
        self._index = TermIndex(gating=topics.gating)
        self._index.extend(topics.index_items())
        self._index.extend(countries.index_items())
        self._index.build()
        warm_up()

    @classmethod
    def from_file(cls, path: Path) -> Matcher:
        return _cached(str(Path(path).resolve()))

    @classmethod
    def build(cls, path: Path) -> Matcher:
        """An uncached matcher (tests that edit a watchlist file in place)."""
        return cls.from_watchlist(load_watchlist(Path(path)))

    @classmethod
    def from_watchlist(cls, watchlist: Watchlist) -> Matcher:
        """From a watchlist already read (``AppConfig.watchlist``): ``monitor match`` reads it once."""
        return cls(TopicMatcher(watchlist), CountryMatcher(watchlist.countries))

    def match(self, title: str, text: str, language: str | None = None, jurisdiction: str | None = None) -> MatchResult:
        """``jurisdiction``: the source's own, the fallback for a text that names none."""
        fields = [Field("title", normalize(title or "")), Field("text", normalize(text or ""))]
        topic_matches = []
        place_matches = []
        for f in fields:
            ms = self._index.scan(f)
            # Each matcher gets its own payloads only: two thirds of the matches are topic terms,
            # which the gazetteer would otherwise test and skip one by one.
            topic_matches.append((f, [m for m in ms if isinstance(m.payload, TopicPayload)]))
            place_matches.append((f, [m for m in ms if not isinstance(m.payload, TopicPayload)]))
        topics = self.topics.evaluate(topic_matches)
        countries = self.countries.evaluate(place_matches, language, jurisdiction)
        return MatchResult(topics, countries, bool(topics), build_reason(topics))


@lru_cache(maxsize=8)
def _cached(path: str) -> Matcher:
    logger.info("building matcher from %s", path)
    return Matcher.build(Path(path))
