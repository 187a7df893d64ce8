"""Renders a digest to HTML and plain text with the Jinja2 templates in ``templates/``.

Autoescape is on for the HTML template; every value is already plain text from ``safety``, so
the template escapes it exactly once. Dates are shown in the digest's timezone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from monitor.digest.health import SourceProblem
from monitor.digest.safety import header_value
from monitor.digest.select import NO_JURISDICTION, Entry

if TYPE_CHECKING:
    from monitor.reports.trends import DigestTrends

SPECIAL_JURISDICTIONS = {"EU": "European Union", "INTL": "International", NO_JURISDICTION: "No jurisdiction named"}


@dataclass(frozen=True)
class JurisdictionGroup:
    code: str
    label: str
    entries: list[Entry]


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    label: str
    count: int
    jurisdictions: list[JurisdictionGroup]


@dataclass(frozen=True)
class TopicCount:
    """One line of the header: items shown under the topic, and those shown under a better one."""

    topic: str
    label: str
    count: int
    elsewhere: int


@dataclass(frozen=True)
class DigestView:
    """Everything a template needs; built by the outbox or the preview, rendered here."""

    title: str
    window_start: datetime | None
    window_end: datetime
    timezone: str
    entries: list[Entry]
    topic_labels: dict[str, str] = field(default_factory=dict)
    truncated: int = 0
    health: list[SourceProblem] = field(default_factory=list)
    recipient_name: str = ""
    subscription: str = ""
    # Flagged items per topic and jurisdiction and week (``monitor.reports.trends.digest_trends``).
    trends: DigestTrends | None = None

    @property
    def groups(self) -> list[TopicGroup]:
        return group_entries(self.entries, self.topic_labels)

    @property
    def topic_counts(self) -> dict[str, int]:
        """Items per section; each item counts once, under its best topic, so these sum to the item count."""
        return {group.topic: group.count for group in self.groups}

    @property
    def topic_lines(self) -> list[TopicCount]:
        """The header's per-topic counts: the sections' own, plus how many items of the topic are
        shown under a better one (a topic only ever second still gets its line)."""
        return topic_lines(self.groups, self.entries, self.topic_labels)

    @property
    def source_count(self) -> int:
        return len({entry.source for entry in self.entries})

    @property
    def subject(self) -> str:
        day = self.window_end.astimezone(ZoneInfo(self.timezone)).strftime("%d %b %Y").lstrip("0")
        count = len(self.entries)
        what = "nothing new" if not count else f"{count} new item{'s' if count != 1 else ''}"
        return header_value(f"{self.title}: {what} ({day})")


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


@lru_cache(maxsize=256)
def jurisdiction_label(code: str) -> str:
    if code in SPECIAL_JURISDICTIONS:
        return SPECIAL_JURISDICTIONS[code]
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or getattr(country, "name", code))


def topic_label(topic: str, labels: dict[str, str]) -> str:
    return labels.get(topic) or topic.replace("_", " ").capitalize()


def group_entries(entries: list[Entry], labels: dict[str, str]) -> list[TopicGroup]:
    """Topics with most items first, then jurisdictions likewise ('none named' last).

    Jurisdictions are those the items are about (``Entry.jurisdictions``). Within a group, items
    come by the score of the group's topic, best first; ties newest first.
    """
    by_topic: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        by_topic.setdefault(entry.group_topic, {}).setdefault(entry.group_jurisdiction, []).append(entry)
    topic_sizes = Counter({topic: sum(len(v) for v in groups.values()) for topic, groups in by_topic.items()})
    result = []
    for topic in sorted(by_topic, key=lambda t: (-topic_sizes[t], topic_label(t, labels))):
        codes = by_topic[topic]
        ordered = sorted(codes, key=lambda c: (c == NO_JURISDICTION, -len(codes[c]), jurisdiction_label(c)))
        result.append(
            TopicGroup(
                topic,
                topic_label(topic, labels),
                topic_sizes[topic],
                [
                    JurisdictionGroup(
                        code,
                        jurisdiction_label(code),
                        by_score(codes[code]),
                    )
                    for code in ordered
                ],
            )
        )
    return result


def topic_lines(groups: list[TopicGroup], entries: list[Entry], labels: dict[str, str]) -> list[TopicCount]:
    """Each section's count, then topics that only appear as an item's other topic."""
    elsewhere = Counter(topic for entry in entries for topic in entry.other_topics)
    lines = [TopicCount(g.topic, g.label, g.count, elsewhere.pop(g.topic, 0)) for g in groups]
    extra = sorted(elsewhere, key=lambda t: (-elsewhere[t], topic_label(t, labels)))
    return lines + [TopicCount(t, topic_label(t, labels), 0, elsewhere[t]) for t in extra]


def by_score(entries: list[Entry]) -> list[Entry]:
    """Best score of the group's topic first; ties newest first."""
    newest = sorted(entries, key=lambda e: (e.when is not None, e.when), reverse=True)
    return sorted(newest, key=lambda e: e.score, reverse=True)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("monitor.digest", "templates"),
        # HTML templates escape everything; the plain-text ones (``.txt.j2``) must not.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(view: DigestView) -> Rendered:
    """The subject, HTML body and plain-text body of one digest."""
    tz = ZoneInfo(view.timezone)

    def local(value: datetime | None, fmt: str = "%a %d %b %Y %H:%M") -> str:
        return value.astimezone(tz).strftime(fmt) if value else ""

    def day(value: datetime | None) -> str:
        return local(value, "%d %b %Y").lstrip("0")

    context = {
        "view": view,
        "groups": view.groups,
        "subject": view.subject,
        "local": local,
        "day": day,
        "tzname": view.timezone,
        "label": lambda topic: topic_label(topic, view.topic_labels),
    }
    env = _environment()
    html = env.get_template("digest.html.j2").render(context)
    text = env.get_template("digest.txt.j2").render(context)
    return Rendered(view.subject, html, text)
