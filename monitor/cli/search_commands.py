"""``monitor search QUERY``: ranked full-text search with marked snippets."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import item_filter


class SearchFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='words, "a phrase", a OR b, -excluded')],
    topic: Annotated[str | None, typer.Option("--topic", help="topic id")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code or EU")] = None,
    source: Annotated[str | None, typer.Option("--source", help="source id")] = None,
    since: Annotated[str | None, typer.Option("--since", help="date or age (30d)")] = None,
    flagged: Annotated[bool, typer.Option("--flagged", help="only flagged items")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    output_format: Annotated[SearchFormat, typer.Option("--format", help="text or jsonl")] = SearchFormat.text,
) -> None:
    """Full-text search over stored titles and text, best match first; [terms] are marked."""
    from monitor.storage import repository_for
    from monitor.storage.queries import to_item
    from monitor.storage.search import search as run_search

    config = state(ctx).config()
    spec = item_filter(config, flagged=flagged, topic=topic, country=country, source=source, since=since)
    repository = repository_for(config.database_url)
    count = 0
    with repository.sessions() as session:
        for count, hit in enumerate(run_search(session, query, spec, limit), start=1):
            article = hit.article
            if output_format is SearchFormat.jsonl:
                item = to_item(article) | {"rank": round(hit.rank, 4), "snippet": hit.snippet}
                sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
                continue
            date = article.published_at.strftime("%Y-%m-%d") if article.published_at else "undated"
            flag = " [flagged]" if article.flagged else ""
            typer.echo(f"{count:>3}. {date}  {article.source_id}  {article.title}{flag}")
            typer.echo(f"     {' '.join(hit.snippet.split())}")
            typer.echo(f"     {article.url}")
    if output_format is SearchFormat.text and count == 0:
        typer.echo("no matches", err=True)
