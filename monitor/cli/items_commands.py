"""``monitor items``: list stored articles as a table, JSON lines or CSV, streamed."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import item_filter


class ItemFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


CSV_FIELDS = [
    "published_at",
    "source",
    "language",
    "flagged",
    "topics",
    "countries",
    "mentioned_countries",
    "title",
    "url",
    "canonical_url",
    "duplicate_of",
    "fetched_at",
    "summary",
]


@app.command()
def items(
    ctx: typer.Context,
    flagged: Annotated[bool, typer.Option("--flagged", help="only flagged items")] = False,
    topic: Annotated[str | None, typer.Option("--topic", help="topic id, e.g. cross_border_transfers")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code or EU")] = None,
    source: Annotated[str | None, typer.Option("--source", help="source id")] = None,
    since: Annotated[str | None, typer.Option("--since", help="date or age (7d)")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    output_format: Annotated[ItemFormat, typer.Option("--format", help="table, jsonl or csv")] = ItemFormat.table,
) -> None:
    """Stored articles, filtered: newest first; flagged ones (--flagged, --topic) best topic score first."""
    from rich.console import Console

    from monitor.cli.tables import items_table
    from monitor.storage import repository_for
    from monitor.storage.feedback import all_judgements
    from monitor.storage.queries import iter_items, to_item

    config = state(ctx).config()
    spec = item_filter(config, flagged=flagged, topic=topic, country=country, source=source, since=since, limit=limit)
    repository = repository_for(config.database_url)
    with repository.sessions() as session:
        rows = iter_items(session, spec)
        if output_format is ItemFormat.jsonl:
            judged = all_judgements(session)  # analysts' verdicts: {verdict, reason, by, at}, or null
            for article in rows:
                item = {**to_item(article), "judgement": judged.get(article.id)}
                sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
        elif output_format is ItemFormat.csv:
            writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for article in rows:
                item = to_item(article)
                item["topics"] = ";".join(t["topic"] for t in item["topics"])
                item["countries"] = ";".join(item["countries"])
                item["mentioned_countries"] = ";".join(item["mentioned_countries"])
                writer.writerow(item)
        else:
            Console().print(items_table(list(rows)))
