"""The daemon: job settings, next-run logging, and a clean stop on SIGTERM after the running job."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

from monitor.scheduler.daemon import Daemon
from monitor.scheduler.jobs import JobSpec


def test_jobs_get_max_instances_coalesce_and_misfire_grace() -> None:
    spec = JobSpec("crawl:x", CronTrigger.from_crontab("*/5 * * * *", timezone="UTC"), ["true"], 60)
    daemon = Daemon([spec], misfire_grace_seconds=900)
    daemon.add_jobs()
    daemon.scheduler.start(paused=True)
    try:
        [job] = daemon.scheduler.get_jobs()
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 900)
        assert job.next_run_time is not None
    finally:
        daemon.scheduler.shutdown(wait=False)


DAEMON_SCRIPT = """
import logging, sys
import pytest
from apscheduler.triggers.cron import CronTrigger
from monitor.scheduler.daemon import Daemon
from monitor.scheduler.jobs import JobSpec

logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s: %(message)s", force=True)
marker = sys.argv[1]
child = [sys.executable, "-c", "import time, pathlib; time.sleep(1.5); pathlib.Path(%r).write_text('done')" % marker]
spec = JobSpec("crawl:test", CronTrigger.from_crontab("0 3 * * *", timezone="Europe/Brussels"), child, 30)
sys.exit(Daemon([spec], misfire_grace_seconds=60).serve(run_now=True))
"""


def test_sigterm_stops_the_daemon_after_the_running_job(tmp_path: Path) -> None:
    marker = tmp_path / "finished"
    process = subprocess.Popen(
        [sys.executable, "-c", DAEMON_SCRIPT, str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "job crawl:test started" in line:
            break
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    log = "".join(lines) + output

    assert process.returncode == 0, log
    assert marker.read_text() == "done"  # the running crawl was not cut off
    assert "job crawl:test: next run" in log.split("job crawl:test started")[0]  # logged at start
    order = [log.index(s) for s in ("SIGTERM received", "job crawl:test finished", "scheduler stopped")]
    assert order == sorted(order), log


def test_next_run_is_logged_after_each_run(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="monitor.scheduler")
    spec = JobSpec(
        "digest", CronTrigger.from_crontab("0 7 * * *", timezone="Europe/Brussels"), [sys.executable, "-c", "pass"], 30
    )
    daemon = Daemon([spec], misfire_grace_seconds=60)
    thread = threading.Thread(target=daemon.serve, kwargs={"run_now": True, "install_signals": False})
    thread.start()
    # Waits on the log line itself (the next run is logged after the finished one), not a sleep.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not re.search(
        r"job digest finished.*job digest: next run 20", caplog.text, re.S
    ):
        time.sleep(0.05)
    daemon.request_stop()
    thread.join(timeout=20)
    messages = [r.getMessage() for r in caplog.records]
    finished = next(i for i, m in enumerate(messages) if m.startswith("job digest finished"))
    assert any(m.startswith("job digest: next run 20") for m in messages[finished:]), messages


def test_the_scheduler_runs_in_the_configured_timezone() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    spec = JobSpec("digest", CronTrigger.from_crontab("0 7 * * *", timezone=ZoneInfo("Asia/Tokyo")), ["true"], 60)
    daemon = Daemon([spec], misfire_grace_seconds=60, timezone="Asia/Tokyo")
    assert daemon.scheduler.timezone == ZoneInfo("Asia/Tokyo")
    daemon.add_jobs()
    daemon.scheduler.start(paused=True)
    try:
        [job] = daemon.scheduler.get_jobs()
        # 07:00 wall-clock in Tokyo, whatever the machine's zone.
        assert job.next_run_time.utcoffset().total_seconds() == 9 * 3600
        assert job.next_run_time.hour == 7 and job.next_run_time > datetime.now(UTC)
    finally:
        daemon.scheduler.shutdown(wait=False)
    assert Daemon([spec], misfire_grace_seconds=60).scheduler.timezone == ZoneInfo("UTC")
