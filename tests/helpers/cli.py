"""``python -m monitor`` as a child process: run to the end, or started and killed at will."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers.paths import REPO_ROOT

# Bounds that only catch a hung child: on a loaded machine a run takes seconds to minutes.
RUN_TIMEOUT = 180


def monitor_command(config: Path, database_url: str, *args: str) -> list[str]:
    """The command line of ``monitor --config CONFIG --db URL ARGS...``."""
    return [sys.executable, "-m", "monitor", "--config", str(config), "--db", database_url, *args]


def monitor(
    config: Path, database_url: str, *args: str, timeout: float = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run ``monitor`` to the end; its output captured as text."""
    return subprocess.run(
        monitor_command(config, database_url, *args), capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT
    )


class Run:
    """``monitor ARGS`` in its own process group (extraction workers included), output to files."""

    def __init__(self, config: Path, database_url: str, name: str, *args: str) -> None:
        self.out = config.parent / f"{name}.out"
        self.err = config.parent / f"{name}.err"
        command = monitor_command(config, database_url, *(args or ("--allow-private", "--quiet", "run")))
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=out, stderr=err, start_new_session=True)
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def wait(self, timeout: float = RUN_TIMEOUT) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self.kill_group()

    def kill(self) -> int:
        """SIGKILL the run and everything it started, as the OOM killer or a cgroup stop would."""
        os.killpg(self.pid, signal.SIGKILL)
        return self.process.wait(60)

    def kill_group(self) -> None:
        """SIGKILL whatever of the group is left, and reap the run."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(60)

    @property
    def stderr(self) -> str:
        return self.err.read_text()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill_group()  # a failed assertion must not leave the run going (or unreaped)


def wait_until(condition: Callable[[], bool], timeout: float = 120, what: str = "condition") -> None:
    """Poll ``condition``; the bound only catches a hung test, it is not part of what is tested."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
