"""Terminal tables for items: rich on a terminal, aligned plain text in a pipe."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.controls import strip_controls
from monitor.storage.models import Article
from monitor.storage.records import about_codes, mentioned_codes

# Codes shown per cell; the rest is counted (a long report can name twenty countries).
MAX_CODES = 6


def _codes(codes: list[str]) -> str:
    shown = " ".join(codes[:MAX_CODES])
    return f"{shown} +{len(codes) - MAX_CODES}" if len(codes) > MAX_CODES else shown


def items_table(articles: Iterable[Article], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", overflow="fold", max_width=60)
    table.add_column("topics", overflow="fold")
    table.add_column("countries", overflow="fold")  # what the item is about
    table.add_column("mentioned", overflow="fold")
    for article in articles:
        table.add_row(
            article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
            article.source_id,
            article.language or "",
            # Text, not a str: rich would read "[sic]" or "[/]" in a title as its markup.
            Text(strip_controls(article.title)),
            ", ".join(f"{t.topic} {t.score:.2f}" for t in article.topics),
            _codes(about_codes(article.countries)),
            _codes(mentioned_codes(article.countries)),
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
            for article in iter_items(
                session, ItemFilter(flagged=flagged_only, fetched_since=run_started, by_score=flagged_only)
            )
            if url_prefix is None or article.url.startswith(url_prefix)
        ]
        console = Console(width=160 if not Console().is_terminal else None)
        if articles:
            console.print(items_table(articles, title=f"{len(articles)} flagged items"))
        else:
            console.print("no flagged items")
    return len(articles)
