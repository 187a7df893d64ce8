"""An Atom feed (RFC 4287) of flagged stories, so an analyst can follow the monitor in a feed reader."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import object_session

from monitor.controls import strip_controls
from monitor.storage.records import about_codes
from monitor.storage.types import utcnow

if TYPE_CHECKING:
    from monitor.storage.models import Article
    from monitor.storage.stories import Story

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:news-monitor:flagged"
# Characters XML 1.0 forbids even escaped; extracted text occasionally carries them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    """XML-valid, and without the control and bidi characters ``monitor.controls`` removes; text
    that looks like a tag stays as it is (ElementTree escapes it, the summary is ``type="text"``)."""
    return _XML_INVALID.sub("", strip_controls(value))


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _clean(v) for k, v in attributes.items()})
    if value is not None:
        element.text = _clean(value)
    return element


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _shown(stories: Iterable[Story]) -> list[Story]:
    """The stories without those analysts judged not relevant or mutes silence (``monitor.storage.feedback``)."""
    stories = list(stories)
    session = object_session(stories[0].primary) if stories else None
    if session is None:
        return stories
    from monitor.storage.feedback import hidden_ids

    def flagged(story: Story) -> list[Article]:
        members = [story.primary, *story.copies]
        return [m for m in members if m.flagged] or [story.primary]

    hidden = hidden_ids(session, [member for story in stories for member in flagged(story)])
    return [story for story in stories if not all(m.id in hidden for m in flagged(story))]


def build_feed(
    stories: Iterable[Story],
    source_names: Mapping[str, str],
    *,
    title: str = "news-monitor: flagged",
    self_url: str | None = None,
) -> ET.ElementTree:
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", FEED_ID)
    _sub(feed, "title", title)
    _sub(feed, "generator", "news-monitor")
    if self_url:
        _sub(feed, "link", rel="self", href=self_url)
    updated = _sub(feed, "updated")
    newest: datetime | None = None
    for story in _shown(stories):
        article = story.primary
        when = article.flagged_at or article.updated_at or article.fetched_at or utcnow()
        newest = when if newest is None or when > newest else newest
        entry = _sub(feed, "entry")
        _sub(entry, "id", article.canonical_url)
        _sub(entry, "title", article.title or article.canonical_url)
        _sub(entry, "link", rel="alternate", href=article.url)
        _sub(entry, "updated", _stamp(when))
        if article.published_at:
            _sub(entry, "published", _stamp(article.published_at))
        author = _sub(entry, "author")
        _sub(author, "name", source_names.get(article.source_id, article.source_id))
        for topic in article.topics:  # best score first
            _sub(entry, "category", term=topic.topic, label=f"{topic.topic} ({topic.score:.2f})")
        # The jurisdictions the story is about, not every country it mentions.
        for code in about_codes(article.countries):
            _sub(entry, "category", term=code, scheme="urn:iso:std:iso:3166")
        lines = [article.reason, article.summary]
        if story.copies:
            names = ", ".join(source_names.get(s, s) for s in story.also_reported_by) or "the same source"
            lines.append(f"Also reported by {names}.")
        _sub(entry, "summary", "\n\n".join(line for line in lines if line), type="text")
    updated.text = _stamp(newest or utcnow())
    ET.register_namespace("", ATOM_NS)
    return ET.ElementTree(feed)


def write_feed(tree: ET.ElementTree, out: Path) -> None:
    """Write atomically: a reader polling the file never sees half a feed. The rename would replace
    whatever ``out`` is, so anything but a regular file there (a device, a pipe, a folder) is refused."""
    if out.exists() and not out.is_file():
        from monitor.errors import UsageError

        raise UsageError(f"--out {out}: not a regular file (the feed is written to a file, then renamed over it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    ET.indent(tree)
    tree.write(partial, encoding="utf-8", xml_declaration=True)
    partial.replace(out)
