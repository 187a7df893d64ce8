"""Last stage of a dry run, in the store stage's place: what would be stored is kept, not written.

``monitor crawl URL --dry-run`` and ``monitor sources test ID`` run every stage before it as a run
does (extraction, cleaning, near-duplicates, matching) and end here: each item becomes a
``PreviewRecord`` in the crawler's list (``previewed``), which the command prints when the crawl is
over. Nothing goes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.stats import ITEMS_PREVIEWED
from monitor.storage.records import CountryRecord, TopicRecord, about_codes, mentioned_codes
from spiders.items import DocumentItem

# The crawler attribute that holds the dry run's records.
ATTRIBUTE = "monitor_preview"


@dataclass(frozen=True)
class PreviewRecord:
    """One item as a run would store it: what the preview table and ``--json`` show."""

    url: str
    canonical_url: str
    source_id: str
    title: str
    published_at: datetime | None
    language: str | None
    content_type: str
    extraction_status: str
    flagged: bool
    reason: str
    duplicate_of: str | None
    found_on: str | None
    topics: list[TopicRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)

    @property
    def about(self) -> list[str]:
        return about_codes(self.countries)

    @property
    def mentioned(self) -> list[str]:
        return mentioned_codes(self.countries)

    def to_dict(self) -> dict[str, object]:
        """The keys of ``monitor items --format jsonl`` that a dry run knows (no text, no judgement)."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "source": self.source_id,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "content_type": self.content_type,
            "extraction_status": self.extraction_status,
            "topics": [{"topic": t.topic, "score": round(t.score, 4), "terms": t.terms} for t in self.topics],
            "countries": self.about,
            "mentioned_countries": self.mentioned,
            "flagged": self.flagged,
            "reason": self.reason,
            "duplicate_of": self.duplicate_of,
            "found_on": self.found_on,
        }


def previewed(crawler: Crawler) -> list[PreviewRecord]:
    """The records the crawler's preview sink kept, in the order the items reached it."""
    records: list[PreviewRecord] = getattr(crawler, ATTRIBUTE, [])
    return records


class PreviewSink:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.records: list[PreviewRecord] = []
        setattr(crawler, ATTRIBUTE, self.records)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PreviewSink:
        return cls(crawler)

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        self.records.append(
            PreviewRecord(
                url=item.url,
                canonical_url=item.canonical_url,
                source_id=item.source_id,
                title=item.title,
                published_at=item.published_at,
                language=item.language,
                content_type=item.content_type,
                extraction_status=item.extraction_status,
                flagged=item.flagged,
                reason=item.reason,
                duplicate_of=item.duplicate_of,
                found_on=item.found_on,
                topics=list(item.topics),
                countries=list(item.countries),
            )
        )
        self.stats.inc_value(ITEMS_PREVIEWED)
        return item
