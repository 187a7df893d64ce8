"""``monitor crawl URL`` on the fixture regulator: a listing of 3 pages, a sitemap, PDFs. Given
only the site's URL, the crawl finds every article once and prints the flagged ones as a table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from sqlalchemy import select

from monitor.demo_sites import MANIFEST_PATH
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article
from tests.helpers import CONFIG_DIR
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import FixtureServer


def test_adhoc_crawl_stores_every_article_once(tmp_path: Path) -> None:
    shipped = yaml.safe_load((CONFIG_DIR / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    config = write_config(tmp_path / "config", shipped)
    manifest = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    expected = {a["path"] for a in manifest["articles"] if a["site"] == "regulator"}
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FixtureServer(sites=["regulator"]) as server:
        base = server.base_url("regulator")
        result = monitor(
            config,
            database_url,
            "--allow-private",
            "crawl",
            base + "/",
            *("--max-pages", "80", "--depth", "3", "--time-limit", "120"),
        )
        log = server.request_log
    assert result.returncode == 0, result.stderr[-3000:]
    with repository_for(database_url).sessions() as session:
        urls = [url for (url,) in session.execute(select(Article.url))]
        pdfs = list(session.scalars(select(Article).where(Article.content_type == "pdf")))
    dispose_all()
    paths = [url.removeprefix(base) for url in urls]
    assert set(paths) >= expected, sorted(expected - set(paths))
    assert not set(paths) - expected, sorted(set(paths) - expected)  # no navigation page stored as news
    assert len(paths) == len(set(paths))
    assert pdfs and all(p.extraction_status == "ok" for p in pdfs)
    # Each article page was fetched once, though the listing and the sitemap both name it.
    fetched = Counter(r.path.split("?")[0] for r in log if r.method == "GET" and r.status == 200)
    assert all(fetched[path] == 1 for path in expected), {p: fetched[p] for p in expected if fetched[p] != 1}
    assert "flagged items" in result.stdout and "Nuvalia" in result.stdout
