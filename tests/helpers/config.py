"""Configuration directories for runs of ``monitor``: the shipped watchlist, test sources and settings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.paths import CONFIG_DIR

# No delays, no AutoThrottle, one retry. Timeouts are generous: a loaded machine must not turn
# a slow loopback answer into a failure; a hung server is still caught, only later.
FAST_POLITENESS: dict[str, Any] = {
    "download_delay": 0,
    "autothrottle": False,
    "concurrent_requests_per_domain": 8,
    "download_timeout": 20,
    "retry_times": 1,
    "retry_backoff": 0.1,
    "crawl_timeout": 150,  # below RUN_TIMEOUT (tests.helpers.cli): a stuck crawl ends itself first
}


def write_config(
    directory: Path, sources: list[dict[str, Any]], *, politeness: dict[str, Any] | None = None, **settings: Any
) -> Path:
    """``directory`` with the shipped watchlist, ``sources`` and a monitor.yaml of ``settings``.

    ``politeness`` is merged over FAST_POLITENESS.
    """
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG_DIR / "watchlists.yaml", directory / "watchlists.yaml")
    (directory / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True))
    monitor = {**settings, "politeness": {**FAST_POLITENESS, **(politeness or {})}}
    (directory / "monitor.yaml").write_text(yaml.safe_dump(monitor, allow_unicode=True))
    return directory


def write_demo_config(directory: Path, server: Any, **politeness: Any) -> Path:
    """A config that crawls the demo sites ``server`` serves (a running FixtureServer)."""
    from monitor.demo_sites.server import render_sources

    hosts = [server.base_url(site).removeprefix("http://") for site in server.sites]
    return write_config(
        directory, render_sources(server)["sources"], politeness=politeness, allowed_private_hosts=hosts
    )
