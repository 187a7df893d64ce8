"""One mock-server package for the tests, as Scrapy's ``tests/mockserver/``.

* ``FixtureServer`` / ``render_sources``: the bundled demo sites (the engine lives in
  ``monitor.demo_sites.server``, which ``monitor demo`` uses too).
* ``SiteServer``: that engine over any directory of files, with slow and held pages (``sites``).
* ``write_news_site``: the small two-source site of the crash and concurrency tests (``news_site``).
* ``FaultServer``: misbehaving sites on 127.0.0.x, one fault per path (``faults``).
* ``RouteServer`` / ``Reply``: a site answering from a table of routes (``routes``), used by the
  fault sites and by ``bench/bench_e2e.py``.
"""

from __future__ import annotations

from monitor.demo_sites.server import FixtureServer, RequestRecord, render_sources
from tests.mockserver.faults import FaultServer
from tests.mockserver.news_site import write_news_site
from tests.mockserver.routes import Reply, RouteServer
from tests.mockserver.sites import SiteServer

__all__ = [
    "FaultServer",
    "FixtureServer",
    "Reply",
    "RequestRecord",
    "RouteServer",
    "SiteServer",
    "render_sources",
    "write_news_site",
]
