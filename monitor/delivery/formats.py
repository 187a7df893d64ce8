"""A digest in the forms that are not e-mail: Markdown for chat, a JSON document for webhooks.

The JSON document follows docs/digest.schema.json; each item carries the item contract's fields
(``monitor.storage.queries.to_item``, without the full text) plus the digest's grouping.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from monitor.digest.render import DigestView, jurisdiction_label

SCHEMA_ID = "https://github.com/news-monitor/news-monitor/docs/digest.schema.json"
SCHEMA_VERSION = "1.0"


def _md(text: str) -> str:
    """Plain text safe inside Markdown: no link, emphasis or heading syntax of its own."""
    for char in "\\`*_[]<>#|~":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def markdown_parts(view: DigestView, *, summary: str = "", footer: str = "") -> tuple[str, list[str], str]:
    """Head, one block per item (under its topic heading), tail; chat channels cut between blocks."""
    tz = ZoneInfo(view.timezone)
    window = ""
    if view.window_start is not None:
        window = (
            f"{view.window_start.astimezone(tz):%a %d %b %Y %H:%M} - "
            f"{view.window_end.astimezone(tz):%a %d %b %Y %H:%M} ({view.timezone})"
        )
    head = [f"**{_md(view.subject)}**"]
    if window:
        head.append(f"_{window}_")
    if summary:
        head.append(_md(summary))
    if not view.entries:
        head.append("Nothing new since the last digest.")
    blocks: list[str] = []
    for group in view.groups:
        first = True
        for jurisdiction in group.jurisdictions:
            for entry in jurisdiction.entries:
                title = f"[{_md(entry.title)}]({entry.url})" if entry.url else _md(entry.title)
                date = entry.date.astimezone(tz).strftime("%d %b %Y").lstrip("0") if entry.date else "undated"
                where = ", ".join(jurisdiction_label(code) for code in entry.jurisdictions) or "no jurisdiction"
                lines = [f"\n### {_md(group.label)} ({group.count})"] if first else []
                lines.append(f"- {title} - {_md(entry.source)}, {date}, {_md(where)}")
                if entry.reason:
                    lines.append(f"  {_md(entry.reason)}")
                if entry.also:
                    lines.append(f"  Also reported by: {_md(', '.join(copy.source for copy in entry.also))}")
                blocks.append("\n".join(lines))
                first = False
    tail = []
    if view.truncated:
        tail.append(f"_{view.truncated} more items not shown (max_items)._")
    if view.health:
        problems = "; ".join(f"{_md(p.name)} {p.state} ({_md(p.detail)})" for p in view.health)
        tail.append(f"\nSource health: {problems}")
    if footer:
        tail.append(f"\n_{_md(footer)}_")
    return "\n".join(head), blocks, "\n".join(tail)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def document(
    view: DigestView,
    *,
    subscription: str,
    cadence: str,
    message_id: str,
    items: dict[int, dict[str, Any]],
    previous_counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The digest as one JSON object (docs/digest.schema.json); ``items`` are ``to_item`` rows by id."""
    entries = []
    for group in view.groups:
        for jurisdiction in group.jurisdictions:
            for entry in jurisdiction.entries:
                item = dict(items.get(entry.article_ids[0], {}))
                item.pop("text", None)
                item.setdefault("url", entry.url)
                item.setdefault("title", entry.title)
                item["source_name"] = entry.source
                item["group_topic"] = group.topic
                item["reason"] = entry.reason
                item["also_reported_by"] = [{"source": c.source, "url": c.url} for c in entry.also]
                entries.append(item)
    result: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "kind": "digest",
        "subscription": subscription,
        "cadence": cadence,
        "message_id": message_id,
        "title": view.subject,
        "window": {"start": iso(view.window_start), "end": iso(view.window_end), "timezone": view.timezone},
        "counts": {"items": len(view.entries), "sources": view.source_count, "topics": view.topic_counts},
        "truncated": view.truncated,
        "items": entries,
        "source_health": [{"source": p.source_id, "state": p.state, "detail": p.detail} for p in view.health],
    }
    if previous_counts is not None:
        result["counts"]["previous_topics"] = previous_counts
    return result


def alert_document(
    *, subscription: str, message_id: str, source: str, name: str, state: str, detail: str, at: datetime
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "kind": "alert",
        "subscription": subscription,
        "cadence": "alert",
        "message_id": message_id,
        "title": f"{name}: {state}",
        "source": source,
        "state": state,
        "detail": detail,
        "at": at.isoformat(),
    }
