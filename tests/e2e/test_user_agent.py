"""The agent a crawl sends (issue 14, point 1): browser-shaped by default, because some government
sites refuse any other, and a source's own ``user_agent`` on everything fetched for it, robots.txt
included. robots.txt groups are still matched on the product token, not on "Mozilla"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from monitor.config.schema import DEFAULT_USER_AGENT
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import Reply, RouteServer
from tests.mockserver.fault_pages import ARTICLE

BROWSER_SHAPE = "Mozilla/5.0 (compatible; "
# What a robots.txt meant for browsers, not for us, may say: obeyed, news-monitor would fetch nothing.
ROBOTS = b"User-agent: Mozilla\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
NOW = datetime.now(UTC).replace(microsecond=0)


def feed(base: str, slug: str) -> bytes:
    published = NOW - timedelta(hours=2)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Office of the Spokesperson</title><link>{base}/</link>
<item><title>Joint statement on trusted cross-border data flows</title><link>{base}/releases/{slug}.html</link>
<pubDate>{published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>
</channel></rss>""".encode()


def agent_gated_site(site: RouteServer, slug: str, seen: list[tuple[str, str]]) -> None:
    """A press office that answers 403 to an agent not shaped like a browser's (as reported for
    state.gov), and logs the agent of every request."""

    def gated(body: bytes, content_type: str) -> object:
        def route(handler: object) -> Reply:
            agent = handler.headers.get("User-Agent", "")  # type: ignore[attr-defined]  # http.server handler
            seen.append((handler.path, agent))  # type: ignore[attr-defined]
            if not agent.startswith(BROWSER_SHAPE):
                return Reply(403, b"<html><body>Access Denied</body></html>")
            return Reply(200, body, content_type=content_type)

        return route

    base = site.url("").rstrip("/")
    article = ARTICLE.format(title="Joint statement on trusted cross-border data flows", extra="Issued today.")
    site.routes.update(
        {
            "/robots.txt": gated(ROBOTS, "text/plain"),
            "/rss/releases.xml": gated(feed(base, slug), "application/rss+xml"),
            f"/releases/{slug}.html": gated(article.encode(), "text/html; charset=utf-8"),
        }
    )


def source(source_id: str, site: RouteServer, **extra: object) -> dict[str, object]:
    return {
        "id": source_id,
        "name": source_id,
        "kind": "executive",
        "jurisdiction": "US",
        "homepage": site.url("/"),
        "feeds": [site.url("/rss/releases.xml")],
        **extra,
    }


def stored(database_url: str) -> dict[str, str]:
    with repository_for(database_url).sessions() as session:
        return {a.source_id: a.url for a in session.scalars(select(Article))}


def error_classes(database_url: str) -> dict[str, str | None]:
    with repository_for(database_url).sessions() as session:
        return {e.source_id: e.error_class for e in session.scalars(select(Endpoint))}


def test_the_shipped_agent_passes_a_browser_shape_gate_and_a_source_may_set_its_own(
    tmp_path: Path, sqlite_url: str
) -> None:
    shipped_seen: list[tuple[str, str]] = []
    own_seen: list[tuple[str, str]] = []
    with RouteServer("press") as shipped_site, RouteServer("other") as own_site:
        agent_gated_site(shipped_site, "statement-a", shipped_seen)
        agent_gated_site(own_site, "statement-b", own_seen)
        own_agent = "Mozilla/5.0 (compatible; analyst-desk/2.1; +https://desk.example.org/bot)"
        sources = [source("shipped", shipped_site), source("own", own_site, user_agent=own_agent)]
        config = write_config(
            tmp_path / "config", sources, allowed_private_hosts=[shipped_site.hostport, own_site.hostport]
        )
        result = monitor(config, sqlite_url, "run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert stored(sqlite_url) == {
        "shipped": shipped_site.url("/releases/statement-a.html"),
        "own": own_site.url("/releases/statement-b.html"),
    }
    # The robots.txt "Mozilla" group did not apply: the product token is what robots.txt is read for.
    assert {path for path, _ in shipped_seen} == {"/robots.txt", "/rss/releases.xml", "/releases/statement-a.html"}
    assert {agent for _, agent in shipped_seen} == {DEFAULT_USER_AGENT}
    assert {agent for _, agent in own_seen} == {own_agent}  # robots.txt, feed and article alike
    dispose_all()


def test_a_source_agent_the_site_refuses_is_that_sources_blocked_error(tmp_path: Path, sqlite_url: str) -> None:
    seen: list[tuple[str, str]] = []
    with RouteServer("press") as site:
        agent_gated_site(site, "statement-c", seen)
        bot = "news-monitor/0.1 (+https://github.com/news-monitor/news-monitor)"  # the old, bot-shaped agent
        config = write_config(
            tmp_path / "config", [source("old-agent", site, user_agent=bot)], allowed_private_hosts=[site.hostport]
        )
        result = monitor(config, sqlite_url, "run")
    assert result.returncode == 3, result.stderr[-3000:]
    assert "source old-agent failed: " in result.stderr and "blocked" in result.stderr, result.stderr[-3000:]
    assert stored(sqlite_url) == {}
    assert {agent for _, agent in seen} == {bot}
    dispose_all()
