"""Plain records that the pipeline hands to storage; they keep ``monitor.storage`` free of Scrapy.

A match travels in one shape from the matcher to the database: ``MatchRecord.from_result`` makes
the topic and country records once (the match stage, ``monitor rematch``), the pipeline item
carries them, and ``storage.matches`` writes them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from monitor.matching.result import CountryHit, MatchResult, TopicHit


@dataclass
class TopicRecord:
    """A topic that fired, as stored in ``topic_matches``: evidence as JSON-ready dicts."""

    topic: str
    score: float
    terms: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_hit(cls, hit: TopicHit) -> TopicRecord:
        return cls(hit.topic, hit.score, list(hit.terms), [evidence.to_dict() for evidence in hit.evidence])


class CountryRow(Protocol):
    """A stored country: a ``CountryRecord`` or an ``article_countries`` row."""

    code: str
    rank: int
    mentions: int
    focus: bool


def about_codes(countries: Iterable[CountryRow]) -> list[str]:
    """The item contract's ``countries``: the jurisdictions the item is about, most salient first."""
    return [c.code for c in sorted(countries, key=lambda c: c.rank) if c.focus]


def mentioned_codes(countries: Iterable[CountryRow]) -> list[str]:
    """The item contract's ``mentioned_countries``: every code the text names, most salient first.

    A fallback subject (the source's own jurisdiction for a text that names none) is stored with
    ``mentions`` 0: the item is about it, but the text does not mention it.
    """
    return [c.code for c in sorted(countries, key=lambda c: c.rank) if c.mentions > 0]


@dataclass
class CountryRecord:
    """A jurisdiction mentioned (or the fallback subject), as stored in ``article_countries``.

    ``rank`` 0 is the most salient; ``focus``: the item is about it; ``mentions`` 0: not named in the
    text, the source's own jurisdiction taken as the subject.
    """

    code: str
    rank: int
    mentions: int
    focus: bool

    @classmethod
    def from_hit(cls, hit: CountryHit, rank: int) -> CountryRecord:
        return cls(hit.code, rank, hit.mentions, hit.focus)


@dataclass
class MatchRecord:
    """What the matchers said about one article, in the shape it is stored in."""

    topics: list[TopicRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)
    flagged: bool = False
    reason: str = ""

    @classmethod
    def from_result(cls, result: MatchResult) -> MatchRecord:
        """The records of a ``Matcher.match`` result; countries keep the matcher's order as their rank."""
        return cls(
            topics=[TopicRecord.from_hit(hit) for hit in result.topics],
            countries=[CountryRecord.from_hit(hit, rank) for rank, hit in enumerate(result.countries)],
            flagged=result.flagged,
            reason=result.reason,
        )


@dataclass
class ArticleRecord:
    canonical_url: str
    url: str
    source_id: str
    title: str
    text: str
    summary: str = ""
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    content_type: str = "html"
    extraction_status: str = "ok"
    date_status: str | None = None
    content_hash: str | None = None
    flagged: bool = False
    reason: str = ""
    duplicate_of: str | None = None
    # ``similarity.fingerprint(text)`` when the caller already has it (the extract stage makes it).
    fingerprint: bytes | None = None
    # The page the link was found on (a document's citing page); None when not known.
    found_on: str | None = None
    topics: list[TopicRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)


@dataclass
class EndpointResult:
    """What one fetch of a feed, listing or sitemap said about that endpoint's health."""

    source_id: str
    url: str
    kind: str
    status: int | None
    error_class: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items_seen: int = 0
    newest_item_at: datetime | None = None
    # On a success, what the fetch left undone (a feed's entries beyond the per-run cap); kept
    # in ``Endpoint.last_error`` until the next fetch, shown by ``monitor sources list``.
    note: str | None = None
    # The run that fetched it; None for a probe, whose validators are never kept.
    run_id: int | None = None


@dataclass(frozen=True)
class CitedDocument:
    """A document a page cites, to fetch until it is stored (``Repository.remember_documents``)."""

    canonical_url: str
    url: str
    source_id: str
    found_on: str | None = None
    failures: int = 0
    last_error: str | None = None
