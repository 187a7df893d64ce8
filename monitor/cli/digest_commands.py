"""``monitor digest``: preview the digest as files, show who would get what, or send it."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import parse_when
from monitor.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from monitor.config import AppConfig
    from monitor.digest.outbox import Outbox

log = logging.getLogger(__name__)


def _topics(counts: dict[str, int]) -> str:
    return ", ".join(f"{topic} {count}" for topic, count in counts.items()) or "no items"


@app.command()
def digest(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="write digest.html, digest.txt and one .eml per recipient here")
    ] = None,
    send: Annotated[bool, typer.Option("--send", help="send each recipient's digest (exactly once) over SMTP")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show who would get what; send and record nothing")
    ] = False,
    retry_only: Annotated[bool, typer.Option("--retry-only", help="with --send: only retry pending digests")] = False,
    immediate: Annotated[
        bool, typer.Option("--immediate", help="with --send: the immediate subscriptions and health alerts only")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="preview only items flagged since this age (24h, 7d, 2w) or date (2026-11-01, in the digest's "
            "timezone); alone: print that preview as text",
        ),
    ] = None,
) -> None:
    """The daily digest. Exit 0: sent or nothing due; 3: some stay pending (retried next run); 1: some failed."""
    from monitor.digest.outbox import Outcome
    from monitor.digest.service import outbox_for, send_digests

    if not (out or send or dry_run or since):
        raise UsageError("say what to do: --out DIR (files), --dry-run (who would get what) or --send")
    if retry_only and not send:
        raise UsageError("--retry-only goes with --send")
    if since and send:
        raise UsageError(
            f"--since {since!r} goes with --out or --dry-run: --send starts where each recipient's last digest ended"
        )
    config = state(ctx).config()
    settings = config.settings.digest
    since_time = since_in_zone(since, settings.timezone)
    if not (out or send or dry_run):
        _print_preview(config, since_time)
        return
    if (send or dry_run) and not settings.has_deliveries:
        raise UsageError(f"{config.config_dir / 'monitor.yaml'}: digest.recipients is empty; add a recipient")

    if dry_run or (out and not send):
        outbox = outbox_for(config, deliver=_refuse)
        if out:
            _write_files(config, outbox, out, since_time)
        if dry_run:
            _show_plans(outbox, send_empty=settings.send_empty, since=since_time)
        return

    cadences = ("immediate",) if immediate else ("daily", "weekly")
    outcomes: list[Outcome] = send_digests(config, retry_only=retry_only, cadences=cadences)
    for outcome in outcomes:
        line = f"{outcome.recipient}: {outcome.status}, {outcome.item_count} items, {outcome.message_id}"
        typer.echo(line + (f" ({outcome.error})" if outcome.error else ""))
        if out and outcome.message is not None:
            from monitor.digest.preview import write_eml

            write_eml(outcome.message, out, outcome.recipient)
    if not outcomes:
        typer.echo("nothing due")
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(ExitCode.FAILED)
    if any(o.status == "pending" for o in outcomes):
        # Some digests stay pending after a temporary SMTP failure; the next run retries them.
        raise typer.Exit(ExitCode.PARTIAL)


def since_in_zone(value: str | None, timezone: str) -> datetime | None:
    """``--since`` through the one parser (``monitor.cli.options.parse_when``); a date or datetime
    without an offset is wall-clock time in the digest's timezone, as every date the digest shows."""
    from zoneinfo import ZoneInfo

    when = parse_when(value)
    if when is None or value is None:
        return when
    try:
        naive = datetime.fromisoformat(value.strip()).tzinfo is None
    except ValueError:  # an age (7d): already counted back from now
        return when
    return when.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC) if naive else when


def _print_preview(config: AppConfig, since: datetime | None) -> None:
    """``monitor digest --since 7d``: the plain-text preview on stdout, nothing recorded."""
    from monitor.digest.labels import topic_labels
    from monitor.digest.preview import preview_view
    from monitor.digest.render import render

    settings = config.settings.digest
    view = preview_view(
        config.database_url,
        title=settings.title,
        since=since,
        health_settings=settings,
        topic_labels=topic_labels(config),
    )
    typer.echo(render(view).text, nl=False)


def _show_plans(outbox: Outbox, *, send_empty: bool, since: datetime | None = None) -> None:
    """Each recipient's next digest; with ``since``, what that window would hold for them instead."""
    from monitor.digest.render import group_entries
    from monitor.digest.select import select_entries

    for plan in outbox.plan():
        who = plan.recipient.email
        if plan.pending_message_id:
            typer.echo(f"{who}: would retry pending digest {plan.pending_message_id} ({plan.pending_items} items)")
            continue
        if since is not None:
            with outbox.sessions() as session:
                selection = select_entries(
                    session,
                    since=since,
                    until=plan.window_end,
                    recipient=plan.recipient,
                    max_items=outbox.settings.max_items,
                )
            plan = replace(plan, window_start=since, selection=selection)
        counts = {g.topic: g.count for g in group_entries(plan.selection.entries, outbox.topic_labels)}
        window = f"{plan.window_start.isoformat(timespec='minutes')} .. {plan.window_end.isoformat(timespec='minutes')}"
        if not plan.selection.entries:
            action = "would send 'nothing new'" if send_empty else "nothing new; would skip"
            typer.echo(f"{who}: {action} (window {window})")
        else:
            typer.echo(f"{who}: {len(plan.selection.entries)} items (window {window}): {_topics(counts)}")


def _refuse(_message: object) -> None:  # the deliver function of a read-only outbox
    raise AssertionError("a preview never sends")


def _write_files(config: AppConfig, outbox: Outbox, out: Path, since: datetime | None) -> None:
    """The preview files plus, per recipient, the .eml that --send would send now (nothing recorded)."""
    from monitor.digest.message import new_message_id
    from monitor.digest.preview import write_eml, write_preview

    settings = config.settings.digest
    files = write_preview(
        config.database_url,
        out,
        title=settings.title,
        since=since,
        health_settings=settings,
        topic_labels=outbox.topic_labels,
    )
    typer.echo(f"{files.html} ({files.item_count} items: {_topics(files.topic_counts)})")
    typer.echo(str(files.text))
    for plan in outbox.plan():
        message = outbox.compose(
            plan.recipient,
            plan.selection.entries,
            window_start=plan.window_start,
            window_end=plan.window_end,
            message_id=new_message_id(settings.smtp.sender),
            date=plan.window_end,
            truncated=plan.selection.truncated,
        )
        path = write_eml(message, out, plan.recipient.email)
        typer.echo(f"{path} ({len(plan.selection.entries)} items for {plan.recipient.email})")
