"""Logging set-up, done by the CLI only: rich on a terminal, plain timestamped lines otherwise."""

from __future__ import annotations

import logging
import sys

# Libraries whose INFO lines are noise to a user (Scrapy's per-request chatter, stats dumps);
# their warnings and errors still show.
CHATTY_LIBRARIES = (
    "scrapy",
    "twisted",
    "trafilatura",
    "htmldate",
    "filelock",
    "urllib3",
    "charset_normalizer",
    "py.warnings",
    "apscheduler.executors",
    "asyncio",
    "alembic",
)


def configure_logging(level: int) -> None:
    root = logging.getLogger()
    root.handlers.clear()
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(show_path=False, markup=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LibraryFilter(level))
    root.addHandler(handler)
    root.setLevel(level)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]  # StreamHandler is generic only in typeshed
    """Writes to whatever ``sys.stderr`` is when a record comes, as ``logging.lastResort`` does.

    A handler bound to the stream of its creation writes to a closed file once that stream is
    swapped back, as after the CLI ran in-process (Typer's CliRunner): threads still logging
    then print "--- Logging error ---" tracebacks.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass  # always sys.stderr


class LibraryFilter(logging.Filter):
    """Lets library records through only from WARNING up (or at debug level).

    A filter on our handler, not logger levels: Scrapy's own set-up resets its loggers to DEBUG
    every time a crawler process starts.
    """

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if self.level <= logging.DEBUG or record.levelno >= logging.WARNING:
            return True
        return not record.name.startswith(CHATTY_LIBRARIES)


def quiet_libraries() -> None:
    """Kept for callers that start Scrapy: drop its DEBUG records before they are even formatted."""
    if logging.getLogger().level > logging.DEBUG:
        for name in ("scrapy", "twisted"):
            logging.getLogger(name).setLevel(logging.INFO)
