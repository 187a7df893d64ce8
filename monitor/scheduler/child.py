"""Runs one job's child process with a timeout, and stops it cleanly when the time is up.

The child gets its own session (process group): a Ctrl-C or SIGTERM aimed at the daemon does not
cut a crawl in half, and on timeout the whole group (Scrapy and anything it started) is stopped,
first politely with SIGTERM, then with SIGKILL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from monitor.errors import EXIT_MEANING

log = logging.getLogger(__name__)

# Seconds between SIGTERM and SIGKILL on timeout: Scrapy needs a moment to close its spider and
# record the run; longer would let one hung crawl delay the next job too much.
TERM_GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class ChildResult:
    returncode: int | None
    timed_out: bool
    seconds: float

    @property
    def meaning(self) -> str:
        if self.timed_out:
            return "timed out"
        return EXIT_MEANING.get(self.returncode or 0, f"exit {self.returncode}")


class ChildRunner:
    """Starts children and remembers the running ones, so a second stop signal can end them early."""

    def __init__(self, term_grace: float = TERM_GRACE_SECONDS) -> None:
        self.term_grace = term_grace
        self._running: dict[int, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def run(self, argv: list[str], *, timeout: float, env: dict[str, str] | None = None, name: str = "") -> ChildResult:
        started = time.monotonic()
        # argv comes from jobs.build_jobs: this interpreter, `-m monitor` and fixed arguments; no shell.
        process = subprocess.Popen(argv, env=env, start_new_session=True)  # noqa: S603
        with self._lock:
            self._running[process.pid] = process
        log.info("job %s started (pid %d)", name, process.pid)
        try:
            try:
                returncode: int | None = process.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                log.warning("job %s exceeded its %.0f s timeout; stopping it", name, timeout)
                returncode, timed_out = self._stop(process), True
        finally:
            with self._lock:
                self._running.pop(process.pid, None)
        return ChildResult(returncode, timed_out, time.monotonic() - started)

    def _stop(self, process: subprocess.Popen[bytes]) -> int | None:
        _signal_group(process, signal.SIGTERM)
        try:
            return process.wait(timeout=self.term_grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            return process.wait()

    def terminate_all(self) -> None:
        """SIGTERM every running child's group (the operator asked twice to stop)."""
        with self._lock:
            running = list(self._running.values())
        for process in running:
            _signal_group(process, signal.SIGTERM)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    # ProcessLookupError: the group is gone already, it finished between the timeout and the signal.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
