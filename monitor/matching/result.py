"""The value objects the matchers return, and the one-line reason shown in the digest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The digest shows one line per item; beyond this many topics the line stops being readable.
MAX_REASON_TOPICS = 4


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: which rule fired on which characters of the original string."""

    rule: str
    term: str
    field: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "term": self.term,
            "field": self.field,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class TopicHit:
    topic: str
    score: float
    terms: list[str]
    evidence: list[Evidence]
    reason: str = ""  # e.g. '"Drittlandtransfer" near "DSGVO"'

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "score": self.score,
            "terms": list(self.terms),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class CountryHit:
    code: str
    mentions: int
    salience: float
    focus: bool
    surfaces: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "mentions": self.mentions,
            "salience": self.salience,
            "focus": self.focus,
            "surfaces": list(self.surfaces),
        }


def build_reason(topics: list[TopicHit]) -> str:
    """``topic: "term" near "context"; topic2: "term"`` for the strongest topics."""
    parts = [f"{hit.topic}: {hit.reason}" for hit in topics[:MAX_REASON_TOPICS] if hit.reason]
    if len(topics) > MAX_REASON_TOPICS:
        parts.append(f"+{len(topics) - MAX_REASON_TOPICS} more")
    return "; ".join(parts)


@dataclass(frozen=True)
class MatchResult:
    topics: list[TopicHit]
    countries: list[CountryHit]
    flagged: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": [t.to_dict() for t in self.topics],
            "countries": [c.code for c in self.countries],
            "focus": [c.code for c in self.countries if c.focus],
            "flagged": self.flagged,
            "reason": self.reason,
        }
