"""Failures of the machine, not of a source (issue 13, point 3): a folder that cannot be created, a
data folder that cannot be written, a full disk, an output path that is not a file. Each is one line
on stderr and a documented exit code, never a traceback, through the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CONFIG_DIR
from tests.helpers.cli import monitor
from tests.helpers.paths import REPO_ROOT

# /proc refuses new entries to everyone, root included: an unwritable folder on any Linux.
UNWRITABLE = "/proc/news-monitor-test/out"


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr[-3000:]
    return lines[0]


def test_feed_into_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    result = monitor(CONFIG_DIR, f"sqlite:///{tmp_path / 'm.db'}", "-q", "feed", "--out", f"{UNWRITABLE}/feed.xml")
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("monitor: error: cannot use /proc/news-monitor-test: ")


def test_digest_preview_into_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    result = monitor(CONFIG_DIR, f"sqlite:///{tmp_path / 'm.db'}", "-q", "digest", "--out", UNWRITABLE)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("monitor: error: cannot use /proc/news-monitor-test: ")


def test_database_in_a_folder_that_cannot_be_written() -> None:
    result = monitor(CONFIG_DIR, f"sqlite:///{UNWRITABLE}/monitor.db", "-q", "items")
    assert result.returncode == 1
    assert "cannot use /proc/news-monitor-test" in one_line(result.stderr)


def test_feed_over_something_that_is_not_a_file(tmp_path: Path) -> None:
    """The feed is renamed into place: over a pipe or a device that would replace it. Refused."""
    pipe = tmp_path / "feed.xml"
    os.mkfifo(pipe)
    result = monitor(CONFIG_DIR, f"sqlite:///{tmp_path / 'm.db'}", "-q", "feed", "--out", str(pipe))
    assert result.returncode == 2
    assert "not a regular file" in one_line(result.stderr)
    assert pipe.is_fifo()


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None, reason="a full disk is a small tmpfs: needs root and unshare"
)
def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    """A 64 KB tmpfs, mounted in a private mount namespace, holds the database: creating its schema
    fills it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    command = [
        sys.executable,
        "-m",
        "monitor",
        "--config",
        str(CONFIG_DIR),
        "--db",
        f"sqlite:///{disk}/m.db",
        "-q",
        "items",
    ]
    script = f'mount -t tmpfs -o size=64k tmpfs {disk} && exec "$@"'
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", *command],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    if "mount:" in result.stderr:
        pytest.skip(f"tmpfs cannot be mounted here: {result.stderr.strip()}")
    assert result.returncode == 1, result.stderr[-3000:]
    line = one_line(result.stderr)
    assert "full" in line, line
