"""The daemon's jobs, built from ``monitor.yaml``: one per crawl schedule, the digest, its retries.

Each job is a command line for a child process (``python -m monitor ...``): Scrapy's reactor
cannot restart in one process, and a child that hangs can be killed without killing the daemon.
The config directory and database URL travel in the child's environment, never on its command
line, so that a password in the URL does not show in ``ps`` or in the daemon's log.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import AppConfig
from monitor.errors import ConfigError


@dataclass(frozen=True)
class JobSpec:
    """One scheduled command: its id, trigger, child command line, environment and timeout."""

    id: str
    trigger: BaseTrigger
    argv: list[str]
    timeout: float
    env: dict[str, str] = field(default_factory=dict, repr=False)

    def next_fire_time(self, now: datetime) -> datetime | None:
        fire: datetime | None = self.trigger.get_next_fire_time(None, now)  # APScheduler 3 is untyped
        return fire


def cron_trigger(expression: str, timezone: str, where: str) -> CronTrigger:
    """A CronTrigger from a 5-field crontab line; a bad field is a ConfigError naming the key."""
    try:
        return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))
    except ValueError as exc:
        raise ConfigError("monitor.yaml", where, f"bad cron expression {expression!r}: {exc}") from exc


def monitor_command(*args: str, allow_private: bool = False) -> list[str]:
    """``python -m monitor [--allow-private] ARGS`` with this interpreter, so the child runs this install."""
    return [sys.executable, "-m", "monitor", *(["--allow-private"] if allow_private else []), *args]


def child_environment(config: AppConfig) -> dict[str, str]:
    return {"MONITOR_CONFIG": str(config.config_dir.resolve()), "MONITOR_DB_URL": config.database_url}


def build_jobs(config: AppConfig, *, allow_private: bool = False) -> list[JobSpec]:
    """Crawl jobs per schedule; the digest and its retry job when anything is to be delivered
    (recipients, subscriptions on any channel, or source-health alerts)."""
    settings = config.settings
    env = child_environment(config)
    jobs: list[JobSpec] = []
    for index, schedule in enumerate(settings.schedules):
        sources = [arg for source in schedule.sources for arg in ("--source", source)]
        jobs.append(
            JobSpec(
                id=f"crawl:{schedule.name}",
                trigger=cron_trigger(schedule.cron, schedule.timezone, f"schedules[{index}].cron"),
                argv=monitor_command("run", *sources, allow_private=allow_private),
                timeout=schedule.timeout,
                env=env,
            )
        )
    digest = settings.digest
    if digest.has_deliveries:
        timeout = settings.scheduler.digest_timeout
        jobs.append(
            JobSpec(
                id="digest",
                trigger=cron_trigger(digest.schedule.cron, digest.schedule.timezone, "digest.schedule.cron"),
                argv=monitor_command("digest", "--send"),
                timeout=timeout,
                env=env,
            )
        )
        jobs.append(
            JobSpec(
                id="digest-retry",
                trigger=IntervalTrigger(minutes=digest.retry_minutes, timezone=ZoneInfo(digest.schedule.timezone)),
                argv=monitor_command("digest", "--send", "--retry-only"),
                timeout=timeout,
                env=env,
            )
        )
    return jobs


def merged_environment(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}
