"""The extract stage gives the same fields through its process pool as in the reactor thread.

The pooled path needs a running reactor (the pool's futures fire Deferreds through
``reactor.callFromThread``), and a reactor cannot be restarted inside the test process, so the
comparison runs in a child Python with the asyncio reactor, as ``monitor crawl`` has it.
"""

from __future__ import annotations

import json
import subprocess
import sys

from monitor.demo_sites import SITES_ROOT
from tests.helpers import FIXTURES_DIR, REPO_ROOT

FIXTURES = [
    (
        "https://edb.example/news/dpf_en",
        FIXTURES_DIR / "pages" / "edpb_statement.html",
        "text/html",
    ),
    (
        "https://regulator.example/documents/communique.pdf",
        SITES_ROOT / "regulator" / "documents" / "communique-acd-2026-11-03.pdf",
        "application/pdf",
    ),
    ("https://edb.example/logo.png", None, "image/png"),  # dropped: binary
    ("https://edb.example/menu", None, "text/html"),  # dropped: no article text
]

DRIVER = r"""
import json, sys
from datetime import UTC, datetime
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from twisted.internet import reactor
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from pipelines.extract import ExtractStage
from spiders.items import DocumentItem

FIELDS = ("title", "text", "summary", "published_at", "date_status", "language", "content_hash",
          "content_type", "extraction_status", "fingerprint")
BODIES = {None: b"<html><body><nav><a href='/'>Home</a></nav></body></html>"}
fixtures = json.loads(sys.argv[1])
FETCHED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

def items():
    for url, path, kind in fixtures:
        body = open(path, "rb").read() if path else (b"\x89PNG\r\n\x1a\n" if kind == "image/png" else BODIES[None])
        yield DocumentItem(url=url, source_id="t", body=body, headers={"content-type": kind},
                           source_timezone="Europe/Brussels", fetched_at=FETCHED)

def fields(item):
    return {name: (value.hex() if isinstance(value, bytes) else str(value))
            for name in FIELDS for value in [getattr(item, name)]}

def outcome(run):
    try:
        return fields(run())
    except DropItem as exc:
        return {"dropped": str(exc)}

def make(workers):
    crawler = get_crawler(settings_dict={"MONITOR_EXTRACT_WORKERS": workers})
    crawler.stats.open_spider()
    return build_from_crawler(ExtractStage, crawler)

sync_stage = make(0)
sync_stage.open_spider()
expected = [outcome(lambda item=item: sync_stage.process_item(item)) for item in items()]
pooled = make(2)
result = {}

async def pooled_run():
    pooled.open_spider()
    result["pool_before_first_item"] = pooled.pool is not None  # made at the first item
    got, pool_alive = [], []
    for item in items():
        try:
            got.append(fields(await pooled.process_item(item)))
        except DropItem as exc:
            got.append({"dropped": str(exc)})
        pool_alive.append(pooled.pool is not None)
    pooled.close_spider()
    result["pool_after_close"] = pooled.pool is not None
    result["pool_alive_after_each_item"] = pool_alive
    result["pooled"] = got

def done(_):
    reactor.stop()

def failed(failure):
    result["error"] = failure.getTraceback()
    reactor.stop()

reactor.callWhenRunning(lambda: deferred_from_coro(pooled_run()).addCallbacks(done, failed))
reactor.run()
print(json.dumps({"sync": expected, **result}))
"""


def test_pooled_stage_gives_the_same_fields_as_the_synchronous_one() -> None:
    fixtures = [(url, str(path) if path else None, kind) for url, path, kind in FIXTURES]
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", DRIVER, json.dumps(fixtures)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "error" not in outcome, outcome["error"]
    assert outcome["pooled"] == outcome["sync"]
    # The pool is made at the first item, kept for the next ones, and shut down with the stage.
    assert outcome["pool_before_first_item"] is False
    assert outcome["pool_alive_after_each_item"] == [True] * len(FIXTURES)
    assert outcome["pool_after_close"] is False
    html, pdf, binary, empty = outcome["sync"]
    assert html["extraction_status"] == "ok" and html["text"] and html["fingerprint"] != "None"
    assert pdf["content_type"] == "pdf"
    assert "dropped" in binary and "dropped" in empty


def test_a_crawl_without_items_starts_no_process() -> None:
    # An unchanged rerun extracts nothing: no forkserver, resource tracker or worker to start and
    # wait for, no worker libraries to import. The check runs in a child, where no earlier test
    # has started or imported any of them.
    probe = (
        "import json, sys\n"
        "import multiprocessing.resource_tracker as rt\n"
        "from scrapy.utils.misc import build_from_crawler\n"
        "from scrapy.utils.test import get_crawler\n"
        "from pipelines.extract import ExtractStage\n"
        "crawler = get_crawler(settings_dict={'MONITOR_EXTRACT_WORKERS': 2})\n"
        "stage = build_from_crawler(ExtractStage, crawler)\n"
        "stage.open_spider()\n"
        "stage.close_spider()\n"
        "print(json.dumps({'pool': stage.pool is not None, 'resource_tracker_pid': rt._resource_tracker._pid,\n"
        "                  'worker_imported': 'pipelines.extract_worker' in sys.modules}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert seen["pool"] is False
    assert seen["resource_tracker_pid"] is None, "resource tracker started"
    assert seen["worker_imported"] is False, "worker module (trafilatura, lxml, numpy) imported"
