"""The "crawl now" button: one ``monitor run --source ID`` started as a detached process.

Why a process and not a queue: the crawl already takes the database's crawl lock and records
its run like any other (``monitor sources list`` and the sources page show it), a server
restart does not kill it, and nothing new has to poll for requests. A second press while the
crawl started from this server still runs is refused; a crawl that the lock refuses (another
crawl holds it) exits at once and says so in its log.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from monitor.config import AppConfig

LOG_DIR = Path(tempfile.gettempdir()) / "news-monitor-web"


class CrawlLauncher:
    def __init__(self, config: AppConfig, *, allow_private: bool = False) -> None:
        self.config = config
        self.allow_private = allow_private
        self._running: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def command(self, source_id: str) -> list[str]:
        options = ["--config", str(self.config.config_dir), "--db", self.config.database_url, "--quiet"]
        if self.allow_private:
            options.append("--allow-private")
        return [sys.executable, "-m", "monitor", *options, "run", "--source", source_id]

    def __call__(self, source_id: str) -> str:
        self.config.source(source_id)  # ConfigError for an unknown source
        with self._lock:
            previous = self._running.get(source_id)
            if previous is not None and previous.poll() is None:
                return f"a crawl of {source_id} started from here is still running (pid {previous.pid})"
            LOG_DIR.mkdir(parents=True, exist_ok=True)
            log_path = LOG_DIR / f"crawl-{source_id}-{time.strftime('%Y%m%dT%H%M%S')}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(  # noqa: S603 - our own CLI, arguments from the configuration
                    self.command(source_id),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                )
            self._running[source_id] = process
        return f"crawl of {source_id} started (pid {process.pid}); its output goes to {log_path}"
