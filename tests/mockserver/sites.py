"""Directories of files served over HTTP, with the demo's FixtureServer as the engine.

``SiteServer`` is ``monitor.demo_sites.server.FixtureServer`` (one port per site directory,
``{{base}}`` placeholders, deterministic ETag and Last-Modified, ``304`` on If-None-Match and
If-Modified-Since, a request log) plus what a test needs to catch a crawl part-way: slow pages
and held pages. With the default root it serves the demo sites; with ``root=DIR`` it serves each
directory under ``DIR`` as a site (an ad-hoc site a test wrote).

Held pages wait for the test instead of a clock, so a test that kills a crawl "while articles
are being fetched" does so at that point however loaded the machine is::

    server = SiteServer(root, held=lambda site, path: path.endswith(".html"))
    server.hold(pages=4)   # from now on, four held pages are answered; the next ones wait
    ...                    # the crawl fetches its feed, four articles, then waits
    server.release()       # held pages are answered again
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitor.demo_sites import SITES_ROOT
from monitor.demo_sites.server import FixtureServer, Resolved, SiteConfig

# The longest a held request waits: a test that forgets to release must not hang the server.
HOLD_LIMIT = 300.0

Held = Callable[[str, str], bool]  # (site, path with query) -> does this request wait when holding?


class SiteServer(FixtureServer):
    """FixtureServer with held pages (see the module docstring)."""

    def __init__(
        self, root: Path = SITES_ROOT, *, held: Held | None = None, page_delay: float = 0.0, **options: Any
    ) -> None:
        super().__init__(root, page_delay=page_delay, **options)
        self.held = held
        self._gate = threading.Condition()
        self._holding = False
        self._permits = 0
        self._generation = 0  # bumped by hold() and release(): earlier waiters are let go

    def hold(self, pages: int = 0) -> None:
        """From now on held paths wait; ``pages`` more of them are answered first."""
        with self._gate:
            self._holding, self._permits = True, pages
            self._generation += 1
            self._gate.notify_all()

    def release(self) -> None:
        """Held paths are answered again, those waiting now included."""
        with self._gate:
            self._holding = False
            self._generation += 1
            self._gate.notify_all()

    def stop(self) -> None:
        self.release()
        super().stop()

    def resolve(self, site: SiteConfig, raw_path: str) -> Resolved:
        # Called by the request handler thread before it answers: the one place to wait.
        if self.held is not None and self.held(site.name, raw_path):
            self._wait_for_turn()
        return super().resolve(site, raw_path)

    def _wait_for_turn(self) -> None:
        with self._gate:
            generation = self._generation
            self._gate.wait_for(
                lambda: not self._holding or self._permits > 0 or self._generation != generation, timeout=HOLD_LIMIT
            )
            if self._holding and self._permits > 0 and self._generation == generation:
                self._permits -= 1
