"""The feed parser's worker process: ``python -m spiders.feed_worker MEMORY_MB SECONDS``.

It imports feedparser and ``spiders.feeds`` only (no Scrapy, Twisted or database), caps its own
address space at its idle size plus MEMORY_MB (RLIMIT_AS) and gives each feed SECONDS of CPU
(a profiling timer, with RLIMIT_CPU a few seconds later as the kernel's backstop). It reads jobs
from stdin and writes replies to stdout, one pickled frame each (``multiprocessing.connection``
framing), until stdin closes. ``spiders.feed_pool`` starts it and reads its replies.

Replies: ``("ok", (title, entries))``, ``("not_a_feed", cause)``, ``("memory", cause)`` (the
worker then exits, so the next feed gets a fresh one), ``("time", cause)``.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import signal
import sys
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from spiders.feeds import NotAFeed, parse_feed

# Seconds of CPU past the timer before the kernel kills a worker whose timer could not fire
# (a long call into C that never returns to the interpreter).
KERNEL_GRACE = 5


class ParseTimeout(BaseException):  # noqa: N818 - BaseException: no ``except Exception`` in feedparser swallows it
    """The profiling timer fired: this feed has had its CPU seconds."""


def _on_timer(signum: int, frame: FrameType | None) -> None:
    raise ParseTimeout


def _address_space() -> int:
    """This process's virtual size now (VmSize), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def limit_memory(megabytes: int) -> None:
    """Cap the address space at what the idle worker uses plus ``megabytes``."""
    limit = _address_space() + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _arm(seconds: float) -> None:
    signal.setitimer(signal.ITIMER_PROF, seconds)
    # RLIMIT_CPU counts the process's whole life: the soft limit moves on with every job.
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(_cpu_used() + seconds + KERNEL_GRACE)
    if hard == resource.RLIM_INFINITY or soft <= hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _disarm() -> None:
    signal.setitimer(signal.ITIMER_PROF, 0)


def handle(job: tuple[bytes, str, str, dict[str, str]], memory_mb: int, seconds: float) -> tuple[str, Any]:
    """One feed: its reply, whatever the bytes do."""
    body, base_url, timezone, headers = job
    try:
        _arm(seconds)
        try:
            return "ok", parse_feed(body, base_url, timezone, headers)
        finally:
            _disarm()
    except ParseTimeout:
        return "time", f"feed parsing took longer than {seconds:g} s"
    except MemoryError:
        return "memory", f"feed parsing exceeded {memory_mb} MB"
    except NotAFeed as exc:
        return "not_a_feed", str(exc)


def serve(jobs: Connection, replies: Connection, memory_mb: int, seconds: float) -> None:
    """Answer jobs until the parent closes the pipe; leave after a MemoryError."""
    while True:
        try:
            frame = jobs.recv_bytes()
        except (EOFError, OSError):
            return
        job = pickle.loads(frame)  # noqa: S301 - written by our own parent (spiders.feed_pool)
        kind, value = handle(job, memory_mb, seconds)
        del job, frame
        try:
            reply = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            kind, value = "memory", f"feed parsing exceeded {memory_mb} MB"
            reply = pickle.dumps((kind, value))
        replies.send_bytes(reply)
        del reply, value
        if kind == "memory":
            return  # a heap that hit the limit may be fragmented: the next feed gets a fresh worker


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    memory_mb, seconds = int(args[0]), float(args[1])
    # The replies own the real stdout; anything printed (a library's warning) goes to stderr.
    replies = Connection(os.dup(1))
    os.dup2(2, 1)
    jobs = Connection(os.dup(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it closes our pipe
    signal.signal(signal.SIGPROF, _on_timer)
    limit_memory(memory_mb)
    serve(jobs, replies, memory_mb, seconds)


if __name__ == "__main__":
    main()
