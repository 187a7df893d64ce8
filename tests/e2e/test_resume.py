"""After a run that did not finish, listings are read past a page with nothing new.

Scenario: a run stored page 1 of the regulator's listing and was killed before page 2. The next
run finds page 1 all stored; stopping there (the normal rule) would lose page 2's articles for
good. Here, with the listing's last crawl left unfinished (its ``pending_run_id`` still set, as a
killed run leaves it), page 2 is read and its articles come back.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlalchemy import delete, select, update

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint, Run
from tests.helpers.cli import monitor
from tests.helpers.config import write_demo_config
from tests.mockserver import FixtureServer, render_sources


def listing_only(config: Path) -> None:
    """The regulator through its listing alone (no sitemap), so pages are the only way in."""
    sources = yaml.safe_load((config / "sources.yaml").read_text())
    regulator = next(s for s in sources["sources"] if s["id"] == "acd")
    regulator["sitemaps"] = []
    regulator["discover_sitemaps"] = False
    (config / "sources.yaml").write_text(yaml.safe_dump({"sources": [regulator]}, allow_unicode=True))


def test_interrupted_run_resumes_pagination(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FixtureServer(sites=["regulator"]) as server:
        write_demo_config(tmp_path / "config", server)
        listing_only(tmp_path / "config")
        first = monitor(tmp_path / "config", database_url, "run")
        assert first.returncode == 0, first.stderr[-2000:]
        listing = [r.path for r in server.request_log if r.path.startswith("/actualites/")]
        assert "/actualites/?page=2" in listing, listing  # the first page's "next" link was followed
        sessions = repository_for(database_url).sessions
        with sessions.begin() as session:
            stored = list(session.scalars(select(Article.url)))
            # What the killed run never reached: the articles linked from the later pages only.
            first_page = {server.base_url("regulator") + path for path in _first_page_links(server)}
            lost = [url for url in stored if url not in first_page]
            assert lost, "the listing must have more than one page of articles"
            session.execute(delete(Article).where(Article.url.in_(lost)))
            killed = session.scalar(select(Run.id).order_by(Run.id.desc()).limit(1))
            session.execute(update(Run).values(status="interrupted"))
            # The killed run's validators were never promoted; the page changed since the last ones.
            session.execute(update(Endpoint).values(etag=None, last_modified=None, pending_run_id=killed))
        dispose_all()
        server.clear_log()
        second = monitor(tmp_path / "config", database_url, "run")
        assert second.returncode == 0, second.stderr[-2000:]
        with repository_for(database_url).sessions() as session:
            restored = set(session.scalars(select(Article.url)))
        assert set(lost) <= restored, f"not restored: {set(lost) - restored}"
    dispose_all()


def _first_page_links(server: FixtureServer) -> list[str]:
    from scrapy.http import HtmlResponse

    from monitor.config.schema import Listing
    from spiders.listings import article_links

    body = (server.root / "regulator" / "actualites" / "index.html").read_bytes()
    url = server.base_url("regulator") + "/actualites/"
    sources = render_sources(server)["sources"]
    listing = Listing(**next(s for s in sources if s["id"] == "acd")["listings"][0])
    links = article_links(HtmlResponse(url, body=body, encoding="utf-8"), listing)
    return [urlsplit(link).path for link in links]
