"""The value objects the matchers return, and the one-line reason shown in the digest."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    # "anchor": the term the rule fired on; "context": a NEAR term that let it fire ("data", "UK"),
    # which the digest does not highlight as the story's evidence.
    role: str = "anchor"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "term": self.term,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "role": self.role,
        }


@dataclass(frozen=True)
class TopicHit:
    topic: str
    score: float
    terms: list[str]
    evidence: list[Evidence]
    reason: str = ""  # e.g. '"Drittlandtransfer" near "DSGVO"'
    # Why the score (monitor/matching/relevance.py): evidence_mass, lead, title, mass, density,
    # rules, policy, length, threat, promo. Empty for hits not built by the topic matcher.
    features: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "score": self.score,
            "terms": list(self.terms),
            "evidence": [e.to_dict() for e in self.evidence],
            "features": dict(self.features),
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


def country_hit(code: str, mentions: int, salience: float, focus: bool, surfaces: list[str]) -> CountryHit:
    """``CountryHit(...)`` at a quarter of the cost: a frozen dataclass's ``__init__`` sets each
    field through ``object.__setattr__``, and a page makes a dozen of these. Same object."""
    hit = _new_object(CountryHit)
    hit.__dict__.update(code=code, mentions=mentions, salience=salience, focus=focus, surfaces=surfaces)
    return hit


_new_object = object.__new__


def build_reason(topics: list[TopicHit]) -> str:
    """``topic: "term" near "context"; topic2: "term"`` for the strongest topics."""
    parts = [f"{hit.topic}: {hit.reason}" for hit in topics[:MAX_REASON_TOPICS] if hit.reason]
    if len(topics) > MAX_REASON_TOPICS:
        parts.append(f"+{len(topics) - MAX_REASON_TOPICS} more")
    return "; ".join(parts)


@dataclass(frozen=True)
class MatchResult:
    """``countries``: every CountryHit, subjects and most salient first (a source fallback has
    mentions=0). ``about``/``mentioned`` are the item contract's two lists of codes."""

    topics: list[TopicHit]
    countries: list[CountryHit]
    flagged: bool
    reason: str

    @property
    def about(self) -> list[str]:
        """The jurisdictions the item is about (``focus``), most salient first."""
        return [c.code for c in self.countries if c.focus]

    @property
    def mentioned(self) -> list[str]:
        """Every jurisdiction the text names, most salient first (not the source fallback)."""
        return [c.code for c in self.countries if c.mentions > 0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": [t.to_dict() for t in self.topics],
            "countries": self.about,
            "mentioned_countries": self.mentioned,
            "flagged": self.flagged,
            "reason": self.reason,
        }
