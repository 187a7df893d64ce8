"""Ctrl-C during a crawl: acknowledged at once, the items in flight finished, the run recorded as
interrupted; a second Ctrl-C stops at once.

Scrapy's ``CrawlerProcess`` already stops gracefully on the first SIGINT and hard on the second;
this subclass says so on stderr the moment it happens (Scrapy only logs it, and our logs are quiet
by default) and remembers that the stop was asked for, so the run is ``interrupted``, not ``failed``,
and the command exits 130 as a shell expects.
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy.crawler import CrawlerProcess

GRACEFUL = "monitor: stopping, finishing the items in flight (Ctrl-C again to stop at once)"
HARD = "monitor: stopping now; what is stored stays stored, the next run resumes"


class InterruptibleProcess(CrawlerProcess):
    """A ``CrawlerProcess`` that knows whether a signal stopped it."""

    interrupted = False

    def _signal_shutdown(self, signum: int, frame: Any) -> None:  # noqa: ANN401 - a signal frame
        self.interrupted = True  # a flag is all a signal handler may safely do; Scrapy's own follows
        super()._signal_shutdown(signum, frame)

    @staticmethod
    def _log_shutdown(signum: int) -> None:
        # Called in the reactor's thread, where writing to stderr is safe.
        print(GRACEFUL, file=sys.stderr, flush=True)  # noqa: T201 - the acknowledgement is for the person at the terminal

    @staticmethod
    def _log_kill(signum: int) -> None:
        print(HARD, file=sys.stderr, flush=True)  # noqa: T201 - as above
