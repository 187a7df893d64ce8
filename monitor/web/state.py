"""What every request shares: the open database, the templates, the login throttle, lazy caches."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.storage.database import Database, open_database
from monitor.storage.models import AppSecret, SourceRow
from monitor.web.settings import CrawlLauncher, WebSettings
from monitor.web.throttle import MAX_FAILURES, LoginThrottle

if TYPE_CHECKING:
    from jinja2 import Environment

    from monitor.matching.matcher import Matcher
    from monitor.matching.watchlist import Watchlist
    from monitor.storage.users import Account

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
SECRET_ENV = "MONITOR_WEB_SECRET"  # noqa: S105 - the name of the variable, not its value
SECRET_NAME = "session"  # noqa: S105 - the row name of the signing key
# Facet choices (sources, languages, jurisdictions) change only with a crawl: read at most this often.
FACET_TTL_SECONDS = 60.0

_T = TypeVar("_T")


def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    # Every template is HTML and every value is escaped; ``|safe`` is used nowhere.
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from monitor.web import filters

    env.filters.update(filters.FILTERS)
    return env


@dataclass
class WebApp:
    settings: WebSettings
    database: Database = field(init=False)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    # Per client address: colleagues behind one proxy share an address, so it allows more failures.
    ip_throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(max_failures=MAX_FAILURES * 4))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _matcher: Matcher | None = None
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.database = open_database(self.settings.database_url)

    @cached_property
    def templates(self) -> Environment:
        """Built on the first page, not before the server listens: the filters load the digest's code."""
        return _environment()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.database.sessions() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.database.sessions.begin() as session:
            yield session

    def secret(self) -> str:
        """The session signing key: MONITOR_WEB_SECRET, else one made once and kept in the database."""
        configured = os.environ.get(SECRET_ENV)
        if configured:
            return configured
        # SQLAlchemy Core on the table, not the ORM: the first ORM query configures every mapper
        # (~0.1 s), which would come before the server listens; the first page pays it instead.
        table = AppSecret.__table__
        assert isinstance(table, Table)
        read = select(table.c.value).where(table.c.name == SECRET_NAME)
        with self.database.engine.connect() as connection:
            value = connection.scalar(read)
        if value is not None:
            return str(value)
        try:
            with self.database.engine.begin() as connection:
                connection.execute(insert(table).values(name=SECRET_NAME, value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass  # another server process made it first: use theirs
        with self.database.engine.connect() as connection:
            value = connection.scalar(read)
        assert value is not None
        return str(value)

    def current_user(self, session_data: dict[str, Any]) -> Account | None:
        """The account of a session, if it still exists with the password the session was made with."""
        from monitor.storage.users import account_by_id

        user_id, version = session_data.get("uid"), session_data.get("sv")
        if not isinstance(user_id, int) or not isinstance(version, str):
            return None
        with self.session() as session:
            account = account_by_id(session, user_id)
        if account is None or not secrets.compare_digest(account.session_version, version):
            return None
        return account

    def cached(self, key: str, make: Callable[[], _T], ttl: float = FACET_TTL_SECONDS) -> _T:
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < ttl:
            return hit[1]  # type: ignore[no-any-return]  # the cache holds what ``make`` returned for this key
        value = make()
        self._cache[key] = (now, value)
        return value

    def forget(self, *keys: str) -> None:
        for key in keys:
            self._cache.pop(key, None)

    @property
    def watchlist(self) -> Watchlist:
        return self.settings.config.watchlist

    def matcher(self) -> Matcher:
        """The matcher of the configured watchlist, built on first use (item pages, mutes lifted)."""
        with self._lock:
            if self._matcher is None:
                from monitor.matching import Matcher

                self._matcher = Matcher.from_file(self.settings.config.watchlists_path)
            return self._matcher

    def topic_labels(self) -> dict[str, str]:
        from monitor.digest.labels import topic_labels

        return self.cached("topic_labels", lambda: topic_labels(self.settings.config), ttl=3600)

    def source_names(self) -> dict[str, str]:
        def load() -> dict[str, str]:
            with self.session() as session:
                return {row.id: row.name for row in session.execute(select(SourceRow.id, SourceRow.name))}

        return self.cached("source_names", load)

    def source_kinds(self) -> dict[str, str]:
        return self.cached("source_kinds", self.database.repository.source_kinds)

    def crawl_launcher(self) -> CrawlLauncher:
        with self._lock:
            if self.settings.crawl_launcher is None:
                from monitor.web.crawl import CrawlLauncher as ProcessLauncher

                self.settings.crawl_launcher = ProcessLauncher(
                    self.settings.config, allow_private=bool(self.settings.extra.get("allow_private"))
                )
            return self.settings.crawl_launcher

    def close(self) -> None:
        self.database.close()
