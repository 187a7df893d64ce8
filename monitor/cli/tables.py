"""Terminal tables for items: rich on a terminal, aligned plain text in a pipe."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.console import Console
from rich.table import Table

from monitor.storage.models import Article


def items_table(articles: Iterable[Article], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", overflow="fold", max_width=60)
    table.add_column("topics", overflow="fold")
    table.add_column("countries", overflow="fold")
    for article in articles:
        table.add_row(
            article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
            article.source_id,
            article.language or "",
            article.title,
            ", ".join(t.topic for t in article.topics),
            " ".join(c.code for c in sorted(article.countries, key=lambda c: c.rank)[:6]),
        )
    return table


def print_items(
    database_url: str,
    *,
    run_started: datetime | None = None,
    flagged_only: bool = True,
    url_prefix: str | None = None,
) -> int:
    """Print the (flagged) articles fetched since ``run_started``; returns how many."""
    from monitor.storage import repository_for
    from monitor.storage.queries import ItemFilter, iter_items

    repository = repository_for(database_url)
    with repository.sessions() as session:
        articles = [
            article
            for article in iter_items(session, ItemFilter(flagged=flagged_only, fetched_since=run_started))
            if url_prefix is None or article.url.startswith(url_prefix)
        ]
        console = Console(width=160 if not Console().is_terminal else None)
        if articles:
            console.print(items_table(articles, title=f"{len(articles)} flagged items"))
        else:
            console.print("no flagged items")
    return len(articles)
