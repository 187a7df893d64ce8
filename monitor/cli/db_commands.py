"""``monitor db upgrade`` (apply migrations) and ``monitor prune`` (retention)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import parse_age

db_app = typer.Typer(help="Database schema: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the latest revision (a new database is created)."""
    from monitor.storage.engine import check_connection, make_engine
    from monitor.storage.migrations import upgrade_to_head

    url = state(ctx).config().database_url
    engine = make_engine(url)
    try:
        check_connection(engine)
        before, after = upgrade_to_head(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        typer.echo(f"{where}: already at revision {after}")
    else:
        typer.echo(f"{where}: upgraded from {before or 'an empty database'} to revision {after}")


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this version needs."""
    from monitor.storage.engine import check_connection, make_engine
    from monitor.storage.migrations import current_revision, head_revision

    engine = make_engine(state(ctx).config().database_url)
    try:
        check_connection(engine)
        with engine.connect() as connection:
            revision = current_revision(connection)
    finally:
        engine.dispose()
    head = head_revision()
    status = "up to date" if revision == head else "outdated: run `monitor db upgrade`"
    typer.echo(f"revision {revision or 'none'}; latest {head}; {status}")


@app.command()
def prune(
    ctx: typer.Context,
    older_than: Annotated[str, typer.Option("--older-than", help="age, e.g. 365d, 26w")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="count, do not delete")] = False,
) -> None:
    """Remove unflagged articles older than AGE; flagged ones and their evidence are kept."""
    from monitor.storage import repository_for

    cutoff = datetime.now(UTC) - parse_age(older_than, "--older-than")
    count = repository_for(state(ctx).config().database_url).prune(cutoff, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    typer.echo(f"{verb} {count} unflagged articles older than {cutoff:%Y-%m-%d}; flagged articles kept")
