"""``monitor demo``: the whole pipeline on the bundled offline sites, end to end, in one process.

The fixture server serves the demo sites on 127.0.0.1; only its own ports are exempted from the
private-address refusal, so the demo proves the safety rule rather than switching it off.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from monitor.config import AppConfig, load_config, validate
from monitor.config.schema import SourcesFile
from monitor.errors import UsageError
from monitor.stats import ITEMS_STORED, PAGES_FETCHED, PAGES_NOT_MODIFIED

log = logging.getLogger(__name__)

# Fixed ports keep the demo's URLs stable across runs, so a second run over the same database
# finds every article already stored instead of storing copies under new ports.
DEMO_BASE_PORT = 8701


def demo_config(config_dir: Path | None, database_url: str, sources: dict) -> AppConfig:  # type: ignore[type-arg]  # the raw sources.yaml mapping
    """The user's settings and watchlists, the demo's sources, and no politeness delay for loopback."""
    base = load_config(config_dir, database_url)
    parsed = validate(SourcesFile, sources, Path("monitor/demo_sites/sources.yaml"))
    politeness = base.settings.politeness.model_copy(
        update={
            "download_delay": 0.0,
            "autothrottle": False,
            "concurrent_requests_per_domain": 8,
            "download_timeout": 15,
            "crawl_timeout": 120,
        }
    )
    settings = base.settings.model_copy(update={"politeness": politeness})
    return dataclasses.replace(base, settings=settings, sources=list(parsed.sources), database_url=database_url)


def run_demo(config_dir: Path | None, database_url: str, out_dir: Path, base_port: int = DEMO_BASE_PORT) -> int:
    """Serve, crawl, digest, summarise; returns the exit code."""
    from monitor.demo_sites.server import FixtureServer, render_sources
    from monitor.digest import write_preview
    from monitor.digest.labels import topic_labels
    from monitor.runner import run_crawl
    from monitor.storage import repository_for
    from monitor.storage.models import Article, ArticleCountry, TopicMatch
    from spiders.source_spider import SourceSpider

    console = Console()
    started = time.monotonic()
    server = FixtureServer(base_port=base_port)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(
            f"cannot serve the demo sites on 127.0.0.1:{base_port}-{base_port + len(server.sites) - 1}: "
            f"{exc.strerror}; is another demo running? choose other ports with --port"
        ) from exc
    with server:
        config = demo_config(config_dir, database_url, render_sources(server))
        hosts = [server.base_url(site).removeprefix("http://") for site in server.sites]
        console.print(f"serving {len(server.sites)} demo sites on 127.0.0.1: {', '.join(server.sites)}")
        repository = repository_for(config.database_url)
        for source in config.sources:
            repository.ensure_source(source.id, source.name, source.kind, source.jurisdiction, source.language)
        report = run_crawl(config, SourceSpider, {"sources": config.sources}, command="demo", allowed_hosts=hosts)
    stats = report.stats
    with repository.sessions() as session:
        total = session.scalar(select(func.count(Article.id))) or 0
        flagged = session.scalar(select(func.count(Article.id)).where(Article.flagged.is_(True))) or 0
        per_topic = session.execute(
            select(TopicMatch.topic, func.count()).group_by(TopicMatch.topic).order_by(func.count().desc())
        ).all()
        countries = Counter(
            code
            for (code,) in session.execute(
                select(ArticleCountry.code)
                .join(Article)
                .where(Article.flagged.is_(True), ArticleCountry.focus.is_(True))
            )
        )
    preview = write_preview(
        config.database_url,
        out_dir,
        title=config.settings.digest.title,
        health_settings=config.settings.digest,
        topic_labels=topic_labels(config),
    )

    table = Table(title="news-monitor demo", show_header=False)
    table.add_row("sources", str(len(config.sources)))
    table.add_row(
        "pages fetched",
        f"{stats.get(PAGES_FETCHED, 0)} (+{stats.get(PAGES_NOT_MODIFIED, 0)} not modified)",
    )
    table.add_row("articles stored", f"{total} ({stats.get(ITEMS_STORED, 0)} new or changed in this run)")
    table.add_row("flagged", str(flagged))
    for topic, count in per_topic:
        table.add_row(f"  {topic}", str(count))
    table.add_row("countries (flagged)", ", ".join(f"{code} {n}" for code, n in countries.most_common(12)))
    table.add_row("failed sources", str(len(report.failed_sources)))
    table.add_row("time", f"{time.monotonic() - started:.1f} s")
    console.print(table)
    for source_id, problems in report.failed_sources.items():
        for problem in problems:
            console.print(f"source {source_id} failed: {problem}")
    console.print(f"digest: {preview.html.resolve()}")
    console.print(f"digest (text): {preview.text.resolve()}")
    # The demo has its own database, not the default one `monitor items` reads: the exact command.
    console.print(f"items: monitor items --flagged --db {database_url}", soft_wrap=True)
    # The web app on the same database (README, "Web app"): an account first, then the server.
    console.print(
        f"web app: monitor users add NAME --db {database_url} && monitor serve --db {database_url}"
        " (then open http://127.0.0.1:8080/)",
        soft_wrap=True,
    )
    return report.exit_code
