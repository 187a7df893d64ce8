"""``monitor feed --out FILE``: an Atom feed of flagged stories for any feed reader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import country_code, topic_id


@app.command()
def feed(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="where the Atom file goes, e.g. flagged.xml")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="newest flagged stories to include")] = 200,
    topic: Annotated[str | None, typer.Option("--topic", help="only this topic")] = None,
    country: Annotated[str | None, typer.Option("--country", help="only this jurisdiction (ISO code or EU)")] = None,
    self_url: Annotated[str | None, typer.Option("--self-url", help="the URL the file will be served at")] = None,
) -> None:
    """Write an Atom feed of the newest flagged stories (syndicated copies folded in), best topic score first."""
    from sqlalchemy import select

    from monitor.digest.stories import stories_for
    from monitor.export.atom import build_feed, write_feed
    from monitor.storage import repository_for
    from monitor.storage.models import SourceRow
    from monitor.storage.queries import ItemFilter, by_best_score, item_query

    config = state(ctx).config()
    topic, country = topic_id(config, topic), country_code(config, country)
    repository = repository_for(config.database_url)
    kinds = repository.source_kinds()
    with repository.sessions() as session:
        names = {source_id: name for source_id, name in session.execute(select(SourceRow.id, SourceRow.name))}
        query = item_query(ItemFilter(flagged=True, topic=topic, country=country, limit=limit))
        # The newest ``limit`` flagged stories, listed by how much they are about their topic.
        articles = by_best_score(list(session.scalars(query)))
        stories = stories_for(session, articles, kinds)
        write_feed(build_feed(stories, names, self_url=self_url), out)
    typer.echo(f"wrote {out}: {len(stories)} flagged stories")
