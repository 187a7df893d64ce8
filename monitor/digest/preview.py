"""Digest files on disk: the demo's output and ``monitor digest --out``. A preview writes no digest rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from monitor.config.schema import DigestSettings
from monitor.digest.health import source_health
from monitor.digest.render import DigestView, render
from monitor.digest.select import select_entries
from monitor.reports.trends import digest_trends

log = logging.getLogger(__name__)

DEFAULT_TITLE = DigestSettings.model_fields["title"].default


@dataclass(frozen=True)
class PreviewFiles:
    html: Path
    text: Path
    item_count: int
    topic_counts: dict[str, int] = field(default_factory=dict)


def preview_view(
    database_url: str,
    *,
    title: str = DEFAULT_TITLE,
    since: datetime | None = None,
    health_settings: DigestSettings | None = None,
    topic_labels: dict[str, str] | None = None,
    now: datetime | None = None,
) -> DigestView:
    """Every flagged item (since ``since``, if given), no recipient filter, nothing written.

    The same templates and timezone as the e-mail: a preview is not a sent digest and must not
    move anyone's window.
    """
    from monitor.storage import repository_for

    settings = health_settings or DigestSettings()
    now = now or datetime.now(UTC)
    sessions = repository_for(database_url).sessions
    with sessions() as session:
        selection = select_entries(session, since=since, until=now, recipient=None, max_items=settings.max_items)
        health = source_health(session, now=now, silent_after_days=settings.silent_after_days)
        trends = digest_trends(session, now=now, topic_labels=topic_labels or {})
    return DigestView(
        title=title,
        window_start=since,
        window_end=now,
        timezone=settings.timezone,
        entries=selection.entries,
        topic_labels=topic_labels or {},
        truncated=selection.truncated,
        health=health,
        trends=trends,
    )


def write_preview(
    database_url: str,
    out_dir: Path,
    *,
    title: str = DEFAULT_TITLE,
    since: datetime | None = None,
    health_settings: DigestSettings | None = None,
    topic_labels: dict[str, str] | None = None,
    now: datetime | None = None,
) -> PreviewFiles:
    """``preview_view`` rendered to ``digest.html`` and ``digest.txt`` in ``out_dir``."""
    view = preview_view(
        database_url, title=title, since=since, health_settings=health_settings, topic_labels=topic_labels, now=now
    )
    rendered = render(view)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, text_path = out_dir / "digest.html", out_dir / "digest.txt"
    html_path.write_text(rendered.html, encoding="utf-8")
    text_path.write_text(rendered.text, encoding="utf-8")
    log.info("digest preview with %d items written to %s", len(view.entries), html_path)
    return PreviewFiles(html_path, text_path, len(view.entries), view.topic_counts)


def write_eml(message: EmailMessage, out_dir: Path, recipient: str) -> Path:
    """Save one message as ``<recipient>.eml`` (openable in any mail client)."""
    safe = "".join(ch if ch.isalnum() or ch in "@._-" else "_" for ch in recipient)
    path = out_dir / f"{safe}.eml"
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(message))
    return path
