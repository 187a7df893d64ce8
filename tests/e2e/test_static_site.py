"""``monitor crawl URL --allow-private`` on a site served by a plain static file server.

No fixture-server conveniences (no conditional GET, no query-to-file mapping, no placeholder
substitution): ``python -m http.server`` over the bundled regulator site, as a user would try it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy import select

from monitor.demo_sites import MANIFEST_PATH, SITES_ROOT
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article

REPO = Path(__file__).resolve().parents[2]


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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_crawl_of_a_plain_static_site_stores_and_flags(static_site: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("watchlists.yaml", "sources.yaml"):
        (config / name).write_text((REPO / "config" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (config / "monitor.yaml").write_text(
        yaml.safe_dump(
            {"politeness": {"download_delay": 0, "autothrottle": False, "download_timeout": 5, "retry_times": 0}}
        )
    )
    database_url = f"sqlite:///{tmp_path / 'static.db'}"
    refused = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "--db", database_url, "crawl", static_site],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert "loopback or private address" in refused.stderr, "without --allow-private, loopback is refused"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--allow-private",
            "--config",
            str(config),
            "--db",
            database_url,
            "crawl",
            static_site,
            "--max-pages",
            "60",
            "--time-limit",
            "60",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
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
