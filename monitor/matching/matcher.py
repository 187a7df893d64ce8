"""Topics and jurisdictions in one pass of one automaton."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from monitor.gc_pause import paused_gc
from monitor.matching import countries as country_sinks
from monitor.matching import topics as topic_sinks
from monitor.matching.automaton import Field, TermIndex, TermMatch
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
        self._index = TermIndex(gating=topics.gating, sink=_sink, sinks=_SINKS)
        with paused_gc():
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
        with paused_gc():
            return cls(TopicMatcher(watchlist), CountryMatcher(watchlist.countries))

    def match(self, title: str, text: str, language: str | None = None, jurisdiction: str | None = None) -> MatchResult:
        """``jurisdiction``: the source's own, the fallback for a text that names none."""
        fields = [Field("title", normalize(title or "")), Field("text", normalize(text or ""))]
        topic_parts: list[tuple[Field, topic_sinks.Parts]] = []
        place_parts: list[tuple[Field, country_sinks.Parts]] = []
        for f in fields:
            # Each matcher gets its own kinds of matches, sorted by the scan (``_sink``): two thirds
            # of the matches are topic terms, which the gazetteer would otherwise test one by one.
            sinks = self._index.scan_sinks(f)
            if len(sinks) != _SINKS:  # an index built without sinks (tests swap in an ungated one)
                sinks = _split(sinks[0])
            topic_parts.append((f, (sinks[0], sinks[1], sinks[2])))
            place_parts.append((f, (sinks[3], sinks[4], sinks[5], sinks[6])))
        found = self.topics.evaluate_parts(topic_parts)
        places = self.countries.evaluate_parts(place_parts, language, jurisdiction)
        return MatchResult(found, places, bool(found), build_reason(found))


_SINKS = topic_sinks.SINKS + country_sinks.SINKS


def _sink(payload: object) -> int:
    """The shared automaton's sinks: the topic matcher's lists, then the gazetteer's."""
    if isinstance(payload, TopicPayload):
        return topic_sinks.sink(payload)
    place_sink = country_sinks.sink(payload)
    if place_sink is None:
        raise TypeError(f"no matcher reads payload {payload!r}")
    return topic_sinks.SINKS + place_sink


def _split(matches: list[TermMatch]) -> list[list[TermMatch]]:
    """One text-ordered list of every kind -> the lists ``_sink`` would have made."""
    sinks: list[list[TermMatch]] = [[] for _ in range(_SINKS)]
    for m in matches:
        sinks[_sink(m.payload)].append(m)
    return sinks


@lru_cache(maxsize=8)
def _cached(path: str) -> Matcher:
    logger.info("building matcher from %s", path)
    return Matcher.build(Path(path))
