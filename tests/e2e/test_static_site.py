"""``monitor crawl URL --allow-private`` on a site served by a plain static file server.

No fixture-server conveniences (no conditional GET, no query-to-file mapping, no placeholder
substitution): ``python -m http.server`` over the bundled regulator site, as a user would try it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy import select

from monitor.demo_sites import MANIFEST_PATH, SITES_ROOT
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article
from tests.helpers import CONFIG_DIR
from tests.helpers.cli import monitor, wait_until


@pytest.fixture
def static_site() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(SITES_ROOT / "regulator"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _accepts(port), what="python -m http.server to listen")
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_crawl_of_a_plain_static_site_stores_and_flags(static_site: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("watchlists.yaml", "sources.yaml"):
        (config / name).write_text((CONFIG_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (config / "monitor.yaml").write_text(
        yaml.safe_dump(
            {"politeness": {"download_delay": 0, "autothrottle": False, "download_timeout": 20, "retry_times": 0}}
        )
    )
    database_url = f"sqlite:///{tmp_path / 'static.db'}"
    refused = monitor(config, database_url, "crawl", static_site)
    assert "127.0.0.1 is a loopback address" in refused.stderr, "without --allow-private, loopback is refused"
    result = monitor(
        config, database_url, "--allow-private", "crawl", static_site, "--max-pages", "60", "--time-limit", "120"
    )
    assert result.returncode in (0, 3), result.stderr[-2000:]
    manifest = {
        a["path"]: a
        for a in yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))["articles"]
        if a["site"] == "regulator"
    }
    with repository_for(database_url).sessions() as session:
        rows = session.execute(select(Article.url, Article.flagged)).all()
    dispose_all()
    stored = {urlsplit(url).path: flagged for url, flagged in rows}
    assert len(stored) >= 5, stored
    assert set(stored) <= set(manifest), f"non-articles stored: {set(stored) - set(manifest)}"
    for path, flagged in stored.items():
        assert flagged == bool(manifest[path]["expected_topics"]), path
    assert any(stored.values()), "on-topic articles are flagged"
    assert "flagged items" in result.stdout  # the table printed at the end
