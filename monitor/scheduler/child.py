"""Runs one job's child process with a timeout, and stops it cleanly when the time is up.

The child gets its own session (process group): a Ctrl-C or SIGTERM aimed at the daemon does not
cut a crawl in half, and on timeout the whole group (Scrapy and anything it started) is stopped,
first politely with SIGTERM, then with SIGKILL. With ``parent_death_signal`` (a cluster
worker's task) the kernel also sends the child that signal when the thread that started it
dies (``PR_SET_PDEATHSIG`` on Linux): a killed worker leaves no orphan crawl holding its hosts.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from monitor.errors import EXIT_MEANING

log = logging.getLogger(__name__)

# Seconds between SIGTERM and SIGKILL on timeout: Scrapy needs a moment to close its spider and
# record the run; longer would let one hung crawl delay the next job too much.
TERM_GRACE_SECONDS = 30.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent_hook(signum: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A ``preexec_fn`` asking the kernel to send the child ``signum`` when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def hook() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(137)

    return hook


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

    def run(
        self,
        argv: list[str],
        *,
        timeout: float,
        env: dict[str, str] | None = None,
        name: str = "",
        parent_death_signal: int | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> ChildResult:
        started = time.monotonic()
        hook = die_with_parent_hook(parent_death_signal) if parent_death_signal else None
        # argv comes from jobs.build_jobs or the cluster task: this interpreter, `-m monitor` and
        # fixed arguments; no shell.
        process = subprocess.Popen(argv, env=env, start_new_session=True, preexec_fn=hook)  # noqa: S603, PLW1509
        if on_start is not None:
            on_start(process.pid)
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
