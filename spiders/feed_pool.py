"""Feeds parsed off the reactor thread, in a warm worker process with a memory and a time limit.

feedparser is pure Python on hostile bytes: a 350 KB feed nested 50,000 deep takes a second or
more of CPU, and no check before parsing can promise what a parse will cost. In the reactor
thread that second stalls every download; in the crawl process a runaway parse takes the run's
memory with it. So a crawl hands each feed's bytes and headers to a worker process
(``spiders.feed_worker``) that caps its address space (``MONITOR_FEED_MEMORY_MB``, 256 MB over
its idle size) and gives each feed ``MONITOR_FEED_SECONDS`` of CPU. A limit hit is that feed's
error, ``not_a_feed`` with the limit as its cause; the worker is replaced for the next feed.

Why not a ``ProcessPoolExecutor`` as in ``pipelines.extract``: when one of its workers dies,
the whole pool breaks and every queued future fails, so a single hostile feed would be blamed
on its neighbours. Here each worker process is driven by one thread of a small thread pool,
one job at a time: a death is always the death of the feed that worker was parsing. The worker
is a fresh interpreter (``python -m spiders.feed_worker``; feedparser imports in ~0.1 s), started
at the first feed that needs parsing and kept for the crawl: an unchanged rerun (all 304) starts
none. Results come back into the reactor as the extraction pool's do (``monitor.futures``), awaited
by the spider's ``async`` callback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from monitor.futures import deferred_from_future
from spiders.feeds import FeedEntry, NotAFeed, parse_feed

log = logging.getLogger(__name__)

# The directory that holds the ``spiders`` package: the worker imports it from there.
CODE_ROOT = Path(__file__).resolve().parent.parent

Job = tuple[bytes, str, str, dict[str, str]]  # body, URL, source timezone, response headers
Reply = tuple[str, Any]  # see spiders.feed_worker


class FeedParsingStopped(Exception):
    """The crawl closed the pool before this feed's turn came."""


def wall_limit(seconds: float) -> float:
    """How long the parent waits for a reply before it kills the worker. The worker's own limit
    is CPU time; on a loaded machine a parse takes longer on the clock, so this only catches a
    worker that stopped answering (its timer could not fire)."""
    return seconds * 4 + 30


class FeedWorker:
    """One worker process, driven by one thread at a time (``FeedParserPool``)."""

    def __init__(self, memory_mb: int, seconds: float) -> None:
        self.memory_mb = memory_mb
        self.seconds = seconds
        self.process: subprocess.Popen[bytes] | None = None
        self._jobs: Connection | None = None
        self._replies: Connection | None = None
        self.started = 0  # processes started so far, for the log and the tests

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CODE_ROOT), env.get("PYTHONPATH", "")) if p)
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "spiders.feed_worker", str(self.memory_mb), f"{self.seconds:g}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=CODE_ROOT,
            env=env,
        )
        assert process.stdin is not None and process.stdout is not None  # noqa: S101 - PIPE asked for
        self._jobs = Connection(os.dup(process.stdin.fileno()), readable=False)
        self._replies = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        self.process = process
        self.started += 1
        log.debug("feed parser worker %d started (limits %d MB, %g s)", process.pid, self.memory_mb, self.seconds)

    def _alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _send(self, frame: bytes) -> Connection:
        """Hand the job to a live worker (a new one if it is gone, or goes while we send) and return
        the connection its reply comes on; a worker that died between two feeds is no feed's fault."""
        for attempt in (1, 2):
            if not self._alive():
                self._discard()
                self._start()
            assert self._jobs is not None and self._replies is not None  # noqa: S101 - set by _start
            try:
                self._jobs.send_bytes(frame)
                return self._replies
            except OSError:
                if attempt == 2:
                    raise
                self._discard()
        raise AssertionError("unreachable")

    def parse(self, job: Job) -> Reply:
        """The worker's reply for one feed; a worker that dies or stops answering is replaced."""
        try:
            replies = self._send(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            self._discard()
            return "died", f"feed parser worker could not be started or reached: {exc}"
        try:
            if not replies.poll(wall_limit(self.seconds)):
                self._discard()
                return "time", f"feed parsing took longer than {self.seconds:g} s (worker stopped answering)"
            frame = replies.recv_bytes()
        except (EOFError, OSError):
            return self._died()
        kind, value = pickle.loads(frame)  # noqa: S301 - written by our own worker process
        if kind == "memory":
            self._discard()  # it exits by itself after a MemoryError
        return kind, value

    def _died(self) -> Reply:
        process = self.process
        code = None
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = process.wait(5)
        self._discard()
        if code == -signal.SIGXCPU:
            return "time", f"feed parsing took longer than {self.seconds:g} s"
        if code is not None and code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exit code {code}"
        return "died", f"feed parser worker died while parsing this feed ({how}; limit {self.memory_mb} MB)"

    def _discard(self) -> None:
        """Close the pipes and make sure the process is gone (reaped)."""
        for connection in (self._jobs, self._replies):
            if connection is not None:
                with contextlib.suppress(OSError):
                    connection.close()
        self._jobs = self._replies = None
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)

    def kill(self) -> None:
        """Stop the process from another thread (the pool is closing); its thread then sees EOF."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

    def close(self) -> None:
        """An idle worker: let it leave on EOF, kill it if it does not."""
        if self._jobs is not None:
            with contextlib.suppress(OSError):
                self._jobs.close()
            self._jobs = None
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(2)
        self._discard()


class FeedParserPool:
    """``workers`` worker processes, each driven by its own thread; jobs queue in the executor."""

    def __init__(self, workers: int = 1, memory_mb: int = 256, seconds: float = 30) -> None:
        self.workers = [FeedWorker(memory_mb, seconds) for _ in range(max(workers, 1))]
        self._idle: queue.SimpleQueue[FeedWorker] = queue.SimpleQueue()
        for worker in self.workers:
            self._idle.put(worker)
        self._busy: set[FeedWorker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._executor = ThreadPoolExecutor(len(self.workers), thread_name_prefix="feed-parser")

    def submit(self, body: bytes, url: str, timezone: str, headers: Mapping[str, str]) -> Future[Reply]:
        return self._executor.submit(self._run, (body, url, timezone, dict(headers)))

    def parse(self, body: bytes, url: str, timezone: str = "UTC", headers: Mapping[str, str] | None = None) -> Reply:
        """Blocking: the reply for one feed (benchmarks, tests, callers without a reactor)."""
        return self.submit(body, url, timezone, headers or {}).result()

    def _run(self, job: Job) -> Reply:
        worker = self._idle.get()
        with self._lock:
            if self._closed:
                self._idle.put(worker)
                raise FeedParsingStopped("feed parsing stopped: the crawl is closing")
            self._busy.add(worker)
        try:
            return worker.parse(job)
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong here is this feed's error, not the run's
            log.exception("feed parser worker failed")
            return "died", f"feed parsing failed: {type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self._busy.discard(worker)
                closed = self._closed
            if closed:
                worker.close()
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker: idle ones leave on EOF, a busy one is killed (its feed then fails)."""
        with self._lock:
            self._closed = True
            busy = list(self._busy)
        for worker in busy:
            worker.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        for worker in self.workers:
            if worker not in busy:
                worker.close()


def result_of(kind: str, value: Any) -> tuple[str, list[FeedEntry]]:  # noqa: ANN401 - a worker reply's payload
    """A worker reply as ``parse_feed`` would answer: the title and entries, or ``NotAFeed``."""
    if kind == "ok":
        title, entries = value
        return title, entries
    raise NotAFeed(value)


class FeedParsing:
    """How a crawl parses its feeds: in the worker pool from ``spider_opened`` on, when
    ``MONITOR_FEED_WORKERS`` > 0; otherwise (0, or a spider used outside a crawl) in this thread."""

    def __init__(self, workers: int = 1, memory_mb: int = 256, seconds: float = 30) -> None:
        self.workers = workers
        self.memory_mb = memory_mb
        self.seconds = seconds
        self.pool: FeedParserPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedParsing:
        settings = crawler.settings
        parsing = cls(
            max(settings.getint("MONITOR_FEED_WORKERS"), 0),
            settings.getint("MONITOR_FEED_MEMORY_MB"),
            settings.getfloat("MONITOR_FEED_SECONDS"),
        )
        crawler.signals.connect(parsing.open, signal=signals.spider_opened)
        crawler.signals.connect(parsing.close, signal=signals.spider_closed)
        return parsing

    def open(self) -> None:
        if self.workers > 0 and self.pool is None:
            self.pool = FeedParserPool(self.workers, self.memory_mb, self.seconds)
            log.info(
                "feeds parsed in %d worker process(es), at most %d MB and %g s each, started at the first feed",
                self.workers,
                self.memory_mb,
                self.seconds,
            )

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    async def parse(
        self, body: bytes, url: str, timezone: str, headers: Mapping[str, str]
    ) -> tuple[str, list[FeedEntry]]:
        """The feed's title and entries, or ``NotAFeed`` with the cause (a limit hit included)."""
        if self.pool is None:
            try:
                return parse_feed(body, url, timezone, headers)
            except MemoryError:
                raise NotAFeed("feed parsing ran out of memory (parsed in the crawl process, no limit)") from None
        try:
            future = self.pool.submit(body, url, timezone, headers)
        except RuntimeError as exc:  # the executor is shut down: the crawl is closing
            raise FeedParsingStopped(str(exc)) from exc
        kind, value = await maybe_deferred_to_future(deferred_from_future(future, _stopped))
        return result_of(kind, value)


def _stopped() -> FeedParsingStopped:
    return FeedParsingStopped("feed parsing stopped: the crawl is closing")


def response_headers(response: Response) -> dict[str, str]:
    """The response's headers as text, repeated ones joined with commas (as feedparser takes them)."""
    return {
        name.decode("latin-1"): b", ".join(values).decode("latin-1")
        for name, values in response.headers.items()
        if values
    }
