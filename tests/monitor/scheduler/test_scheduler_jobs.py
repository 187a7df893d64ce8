"""Jobs built from monitor.yaml, and the child-process runner with its timeout."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from monitor.config import load_config
from monitor.errors import ConfigError
from monitor.scheduler.child import ChildRunner
from monitor.scheduler.jobs import build_jobs

SOURCES = {
    "sources": [
        {"id": "cnil", "name": "CNIL", "kind": "regulator", "jurisdiction": "FR", "feeds": ["https://www.cnil.fr/rss"]},
        {"id": "bfdi", "name": "BfDI", "kind": "regulator", "jurisdiction": "DE", "feeds": ["https://www.bfdi.de/rss"]},
    ]
}


def write_config(directory: Path, settings: dict[str, object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (directory / "sources.yaml").write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    return directory


SETTINGS = {
    "schedules": [
        {
            "name": "regulators",
            "cron": "15 */3 * * *",
            "timezone": "Europe/Brussels",
            "sources": ["cnil", "bfdi"],
            "timeout": 1800,
        },
        {"name": "everything", "cron": "0 2 * * 1", "timezone": "Asia/Shanghai"},
    ],
    "digest": {
        "schedule": {"cron": "0 7 * * *", "timezone": "Europe/Brussels"},
        "retry_minutes": 20,
        "recipients": [{"email": "analyst@example.org"}],
    },
}


def test_jobs_from_config(tmp_path: Path) -> None:
    secret_url = "postgresql+psycopg://monitor:hunter2@db.example.org/monitor"
    config = load_config(write_config(tmp_path / "config", SETTINGS), secret_url)
    jobs = {job.id: job for job in build_jobs(config)}
    assert list(jobs) == ["crawl:regulators", "crawl:everything", "digest", "digest-retry"]

    crawl = jobs["crawl:regulators"]
    assert crawl.argv == [sys.executable, "-m", "monitor", "run", "--source", "cnil", "--source", "bfdi"]
    assert crawl.timeout == 1800
    # 23:00 UTC on 30 March 2024 is 00:00 in Brussels; the next slot is 00:15 CET = 23:15 UTC.
    assert crawl.next_fire_time(datetime(2024, 3, 30, 23, 0, tzinfo=UTC)) == datetime(2024, 3, 30, 23, 15, tzinfo=UTC)
    weekly = jobs["crawl:everything"]
    assert weekly.argv[-1] == "run" and str(weekly.trigger.timezone) == "Asia/Shanghai"
    # The digest at 07:00 Brussels is 06:00 UTC before the DST change and 05:00 UTC after it.
    digest = jobs["digest"]
    assert digest.argv[3:] == ["digest", "--send"]
    assert digest.next_fire_time(datetime(2024, 3, 30, 7, 0, tzinfo=UTC)) == datetime(2024, 3, 31, 5, 0, tzinfo=UTC)
    assert jobs["digest-retry"].argv[3:] == ["digest", "--send", "--retry-only"]
    # The database URL (and its password) goes to the child's environment, never its command line.
    for job in jobs.values():
        assert all("hunter2" not in arg for arg in job.argv)
        assert job.env["MONITOR_DB_URL"] == secret_url


def test_no_digest_jobs_without_recipients_and_bad_cron_is_a_config_error(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path / "a", {"schedules": SETTINGS["schedules"][:1]}), "sqlite:///x.db")
    assert [job.id for job in build_jobs(config)] == ["crawl:regulators"]
    bad = {"schedules": [{"name": "bad", "cron": "61 * * * *"}]}
    with pytest.raises(ConfigError, match=r"schedules\[0\]\.cron"):
        build_jobs(load_config(write_config(tmp_path / "b", bad), "sqlite:///x.db"))


def test_a_config_with_only_channel_subscriptions_still_gets_its_digest_jobs(tmp_path: Path) -> None:
    """No e-mail recipients, one webhook subscription: the digest must still be scheduled."""
    settings = {
        "schedules": SETTINGS["schedules"][:1],
        "digest": {"subscriptions": [{"name": "hook", "url": "json://127.0.0.1:9/hook"}]},
    }
    config = load_config(write_config(tmp_path / "config", settings), "sqlite:///x.db")
    assert [job.id for job in build_jobs(config)] == ["crawl:regulators", "digest", "digest-retry"]


def test_child_runs_to_completion_and_reports_exit_code() -> None:
    result = ChildRunner().run([sys.executable, "-c", "import sys; sys.exit(3)"], timeout=30, name="t")
    assert (result.returncode, result.timed_out, result.meaning) == (3, False, "some sources failed")


def test_child_over_its_timeout_is_stopped_with_sigterm() -> None:
    started = time.monotonic()
    result = ChildRunner(term_grace=5).run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    # -15, not -9: SIGTERM stopped it within the grace time. The bound only shows it did not
    # sleep its 30 s out, however loaded the machine.
    assert result.timed_out and result.returncode == -15
    assert time.monotonic() - started < 25


def test_child_ignoring_sigterm_is_killed_after_the_grace_time() -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)"
    result = ChildRunner(term_grace=0.5).run([sys.executable, "-c", code], timeout=0.5)
    assert result.timed_out and result.returncode == -9


def test_schedules_without_a_timezone_run_in_the_top_level_one(tmp_path: Path) -> None:
    settings = {
        "timezone": "Asia/Tokyo",
        "schedules": [{"name": "morning", "cron": "0 7 * * *"}],
        "digest": {"schedule": {"cron": "0 8 * * *"}, "recipients": [{"email": "analyst@example.org"}]},
    }
    jobs = {job.id: job for job in build_jobs(load_config(write_config(tmp_path / "config", settings), "sqlite:///x"))}
    # 07:00 and 08:00 in Tokyo (UTC+9, no DST) are 22:00 and 23:00 UTC the day before.
    now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert jobs["crawl:morning"].next_fire_time(now) == datetime(2024, 6, 1, 22, 0, tzinfo=UTC)
    assert jobs["digest"].next_fire_time(now) == datetime(2024, 6, 1, 23, 0, tzinfo=UTC)
