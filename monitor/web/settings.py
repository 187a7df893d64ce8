"""What the web app is started with: the configuration, its database, and how it reaches the outside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.config import AppConfig

# A crawl launcher: (source id) -> a line for the page ("queued" or why not).
CrawlLauncher = Callable[[str], str]

# Items per page of the list; the search shows the same.
PAGE_SIZE = 25
# Eight hours: a working day, then log in again.
SESSION_MAX_AGE = 8 * 3600


@dataclass
class WebSettings:
    config: AppConfig
    # Secure cookies even when the request looks like plain HTTP (a proxy that sends no X-Forwarded-Proto).
    https_only: bool = False
    session_max_age: int = SESSION_MAX_AGE
    page_size: int = PAGE_SIZE
    # None: ``monitor.web.crawl.launch`` (a detached ``monitor run --source ID``); tests pass a recorder.
    crawl_launcher: CrawlLauncher | None = None
    # Articles a "try a rule change" dry run re-matches at most (newest first): a page must answer.
    dry_run_limit: int = 5000
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return self.config.database_url
