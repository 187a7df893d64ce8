"""``monitor sources check`` says what to do (issue 14, point 5): a 403 that depends on the agent, a
feed moved to another language, a listing whose selector matches nothing, an undated feed and a gone
URL each get their advice, in the table's epilogue and in ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import Reply, RouteServer

RSS = "application/rss+xml"
BOT = "press-digest-bot/1.0 (+https://desk.example.org/bot)"


def feed(base: str, dated: bool = True) -> bytes:
    date = "<pubDate>Mon, 23 Nov 2026 09:00:00 +0000</pubDate>" if dated else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Press releases</title><link>{base}/</link>
<item><title>Guidance on international transfers</title><link>{base}/news/guidance.html</link>{date}</item>
</channel></rss>""".encode()


def listing_page() -> bytes:
    # A Drupal 10 listing whose markup changed: the configured ".views-row a" matches nothing now.
    return b"""<html><body><main><div class="item-list"><ul>
<li><article><h2><a href="/news/decision-2026-41.html">Decision 2026-41</a></h2></article></li>
</ul></div></main></body></html>"""


def hinted_site(site: RouteServer) -> None:
    base = site.url("").rstrip("/")

    def gated(handler: object) -> Reply:
        agent = handler.headers.get("User-Agent", "")  # type: ignore[attr-defined]  # http.server handler
        if not agent.startswith("Mozilla/5.0 (compatible; "):
            return Reply(403, b"<html><body>Access Denied</body></html>")
        return Reply(200, feed(base), content_type=RSS)

    site.routes.update(
        {
            "/robots.txt": lambda h: Reply(200, b"User-agent: *\nAllow: /\n", content_type="text/plain"),
            "/gated.xml": gated,
            "/en/feed.xml": lambda h: Reply(301, b"", headers={"Location": f"{base}/hi/feed.xml"}),
            "/hi/feed.xml": lambda h: Reply(200, feed(base), content_type=RSS),
            "/news/": lambda h: Reply(200, listing_page()),
            "/undated.xml": lambda h: Reply(200, feed(base, dated=False), content_type=RSS),
            "/gone.xml": lambda h: Reply(404, b"<html><body>Not found</body></html>"),
        }
    )


def sources(site: RouteServer) -> list[dict[str, object]]:
    common = {"kind": "regulator", "jurisdiction": "IN"}
    return [
        {"id": "gated", "name": "Gated", **common, "feeds": [site.url("/gated.xml")], "user_agent": BOT},
        {"id": "moved", "name": "Moved", **common, "feeds": [site.url("/en/feed.xml")]},
        {
            "id": "selector",
            "name": "Selector",
            **common,
            "listings": [{"url": site.url("/news/"), "link_selector": ".views-row a"}],
        },
        {"id": "undated", "name": "Undated", **common, "feeds": [site.url("/undated.xml")]},
        {"id": "gone", "name": "Gone", **common, "feeds": [site.url("/gone.xml")]},
    ]


def test_check_says_what_to_do_for_each_problem(tmp_path: Path, sqlite_url: str) -> None:
    with RouteServer("pib") as site:
        hinted_site(site)
        config = write_config(tmp_path / "config", sources(site), allowed_private_hosts=[site.hostport])
        text = monitor(config, sqlite_url, "sources", "check")
        document = monitor(config, sqlite_url, "sources", "check", "--json")
    assert text.returncode == 3, text.stderr[-3000:]  # gated and gone failed
    advice = {line.split(": ", 1)[0].strip(): line for line in text.stdout.split("what to do:\n", 1)[1].splitlines()}
    assert set(advice) == {"gated", "moved", "selector", "undated", "gone"}, text.stdout[-3000:]
    assert "blocked" in advice["gated"] and "Mozilla/5.0 (compatible;" in advice["gated"] and BOT in advice["gated"]
    assert f"update sources.yaml to {site.url('/hi/feed.xml')}" in advice["moved"]
    assert "selector matched nothing" in advice["selector"]
    assert "undated" in advice["undated"]
    assert "http_4xx" in advice["gone"]

    assert document.returncode == 3, document.stderr[-3000:]
    parsed = json.loads(document.stdout)  # the whole stdout is one JSON document
    by_source = {entry["source"]: entry for entry in parsed["entry_points"]}
    assert parsed["exit_code"] == 3 and parsed["sources"] == 5
    assert by_source["gated"] | {"checked_at": None} == {
        "source": "gated",
        "kind": "feed",
        "url": site.url("/gated.xml"),
        "ok": False,
        "status": 403,
        "error_class": "blocked",
        "detail": "HTTP 403",
        "items": 0,
        "checked_at": None,
        "problem": "blocked",
        "advice": by_source["gated"]["advice"],
    }
    assert by_source["moved"]["ok"] and by_source["moved"]["problem"] == "moved"
    assert by_source["selector"]["ok"] and by_source["selector"]["items"] == 0
    assert by_source["gone"]["error_class"] == "http_4xx" and by_source["gone"]["status"] == 404
