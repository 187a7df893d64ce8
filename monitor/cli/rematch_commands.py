"""``monitor rematch``: apply a changed watchlist to the articles already stored."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.cli.app import app, state


@app.command()
def rematch(
    ctx: typer.Context,
    show: Annotated[int, typer.Option("--show", min=0, help="titles to list per change")] = 20,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="report what would change, write nothing")] = False,
) -> None:
    """Re-run the matchers over stored articles (no fetching) and report what changed; mutes stay applied."""
    from monitor.matching import Matcher
    from monitor.rematch import rematch as run_rematch
    from monitor.storage import repository_for

    config = state(ctx).config()
    matcher = Matcher.build(config.watchlists_path)  # uncached: the file was just edited
    repository = repository_for(config.database_url)
    report = run_rematch(repository.sessions, matcher, dry_run=dry_run)
    typer.echo(
        ("dry run, nothing written: " if dry_run else "")
        + f"rematched {report.examined} articles: {len(report.newly_flagged)} newly flagged, "
        f"{len(report.unflagged)} no longer flagged, {len(report.topics_changed)} with other topics, "
        f"{report.countries_changed} with other jurisdictions"
    )
    for label, rows in (("newly flagged", report.newly_flagged), ("no longer flagged", report.unflagged)):
        for _id, title in rows[:show]:
            typer.echo(f"  {label}: {title}")
    for _id, title, old, new in report.topics_changed[:show]:
        typer.echo(f"  topics changed: {title}: {', '.join(old) or '-'} -> {', '.join(new) or '-'}")
