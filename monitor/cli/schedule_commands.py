"""``monitor schedule``: the daemon that runs crawls and the digest on their cron schedules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.errors import UsageError


@app.command()
def schedule(
    ctx: typer.Context,
    list_jobs: Annotated[bool, typer.Option("--list", help="print the jobs and their next runs, then exit")] = False,
    run_now: Annotated[bool, typer.Option("--run-now", help="run every job once now, then keep to schedule")] = False,
) -> None:
    """The scheduler daemon (crawls + daily digest). SIGTERM stops it after the running jobs finish."""
    from monitor.scheduler.daemon import Daemon
    from monitor.scheduler.jobs import build_jobs

    current = state(ctx)
    config = current.config()
    jobs = build_jobs(config, allow_private=current.allow_private)
    if not jobs:
        raise UsageError(f"{config.config_dir / 'monitor.yaml'}: no schedules and no digest recipients; nothing to run")
    if list_jobs:
        now = datetime.now(UTC)
        for job in jobs:
            when = job.next_fire_time(now)
            typer.echo(
                f"{job.id}\t{job.trigger}\tnext {when.isoformat() if when else 'never'}\t"
                f"timeout {job.timeout:.0f}s\t{' '.join(job.argv[1:])}"
            )
        return
    daemon = Daemon(
        jobs,
        misfire_grace_seconds=config.settings.scheduler.misfire_grace_seconds,
        timezone=config.settings.timezone,
    )
    raise typer.Exit(daemon.serve(run_now=run_now))
