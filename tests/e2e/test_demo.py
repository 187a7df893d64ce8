"""`monitor demo` end to end: bundled sites on 127.0.0.1, the whole pipeline, SQLite, the digest file.

Checked against the demo sites' MANIFEST: every article stored once, every on-topic article
flagged, no off-topic trap flagged, and a second run over the same database adds nothing.
"""

from __future__ import annotations

import random
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from monitor.demo_sites import MANIFEST_PATH
from tests.helpers import CONFIG_DIR, REPO_ROOT

DemoRun = tuple[Path, Path, subprocess.CompletedProcess[str]]


def free_port_range(count: int = 4) -> int:
    """A base port with ``count`` free ports after it, so the test never collides with a user's demo."""
    # A random start: two test runs on one machine (developers, CI) must not pick the same range.
    start = random.randrange(20000, 30000)
    for base in range(start, start + 10000, 97):
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free port range on 127.0.0.1")


PORT = free_port_range()


def run_demo(db: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(CONFIG_DIR),
            "demo",
            "--db",
            f"sqlite:///{db}",
            "--out",
            str(out),
            "--port",
            str(PORT),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO_ROOT,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    work = tmp_path_factory.mktemp("demo")
    db, out = work / "demo.db", work / "out"
    return db, out, run_demo(db, out)


def manifest() -> dict[str, dict]:  # type: ignore[type-arg]
    data = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    return {(a["site"], a["path"]): a for a in data["articles"]}


def stored(db: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT url, flagged, reason FROM articles").fetchall()


def test_demo_prints_summary_and_digest_path(demo_run: DemoRun) -> None:
    _db, out, result = demo_run
    assert result.returncode == 0, result.stdout + result.stderr
    for label in ("sources", "pages fetched", "articles stored", "flagged", "countries"):
        assert label in result.stdout
    match = re.search(r"digest: (\S+\.html)", result.stdout)
    assert match, result.stdout
    html = Path(match.group(1)).read_text(encoding="utf-8")
    assert Path(match.group(1)).parent == out.resolve()
    assert "<html" in html.lower()
    assert "monitor serve --db sqlite:///" in result.stdout  # how to open the web app on the demo database
    # The command it prints for the items shows the demo's items (its database is not the default one).
    printed = re.search(r"items: monitor items --flagged --db (\S+)", result.stdout)
    assert printed, result.stdout
    command = [sys.executable, "-m", "monitor", "--config", str(CONFIG_DIR), "-q", "items", "--flagged"]
    command += ["--db", printed.group(1), "--format", "jsonl"]
    items = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert items.returncode == 0, items.stderr
    assert len(items.stdout.splitlines()) == sum(flag for _url, flag, _reason in stored(_db)) > 0


def test_every_article_once_on_topic_flagged_traps_not(demo_run: DemoRun) -> None:
    db, _out, result = demo_run
    assert result.returncode == 0, result.stderr
    expected = manifest()
    by_path: dict[str, tuple[int, str]] = {}
    for url, flagged, reason in stored(db):
        path = urlsplit(url).path
        assert path not in by_path, f"{path} stored twice"
        by_path[path] = (flagged, reason)
    paths = {path for _site, path in expected}
    # Documents linked from an article page only are fetched too, and say which page cites them.
    attachments = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))["attachments"]
    paths |= {attachment["path"] for attachment in attachments}
    assert set(by_path) == paths, f"extra: {set(by_path) - paths}, missing: {paths - set(by_path)}"
    with sqlite3.connect(db) as connection:
        found_on = dict(connection.execute("SELECT url, found_on FROM articles WHERE found_on IS NOT NULL").fetchall())
    cited_by = {urlsplit(url).path: urlsplit(page).path for url, page in found_on.items()}
    for attachment in attachments:
        assert cited_by.get(attachment["path"]) == attachment["linked_from"], attachment["path"]
    for (_site, path), article in expected.items():
        flagged, reason = by_path[path]
        if article["off_topic_trap"]:
            assert not flagged, f"trap {article['id']} flagged: {reason}"
        elif article["expected_topics"]:
            assert flagged, f"on-topic {article['id']} not flagged"
            assert reason and "\n" not in reason


def test_digest_explains_flagged_items(demo_run: DemoRun) -> None:
    db, out, _result = demo_run
    html = (out / "digest.html").read_text(encoding="utf-8")
    text = (out / "digest.txt").read_text(encoding="utf-8")
    flagged = [row for row in stored(db) if row[1]]
    assert flagged
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT coalesce(duplicate_of, canonical_url), title FROM articles WHERE flagged"
        ).fetchall()
    stories: dict[str, list[str]] = {}
    for key, title in rows:
        stories.setdefault(key, []).append(title)
    # Every flagged story is in the digest once, led by one of its copies (the official one, below).
    for titles in stories.values():
        assert any(title.split(":")[0][:30] in text for title in titles), titles
    # A press reprint of a regulator's decision: the regulator's original leads, the outlet follows.
    original = "Data transfers to the United States: the ACD fines Nuvalia"
    reprint = "French regulator fines HR software maker Nuvalia"
    assert original in text and reprint not in text
    for trap_title in ("calciomercato", "CAC 40"):
        assert trap_title not in html


def test_second_run_adds_nothing(demo_run: DemoRun) -> None:
    db, out, _result = demo_run
    before = len(stored(db))
    again = run_demo(db, out)
    assert again.returncode == 0, again.stderr
    assert len(stored(db)) == before
