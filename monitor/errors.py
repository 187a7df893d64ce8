"""The exception tree of news-monitor, and the exit codes of ``monitor``.

Third-party errors are translated into these at one boundary each (``raise ... from exc``) so
that a caller can tell a bad config from a dead database from a failed fetch, and the CLI can map
each to its exit code (``monitor.cli.main``)::

    MonitorError                   exit 1
    ├── ConfigError                exit 2   monitor.config.loader, the watchlist loader
    ├── UsageError                 exit 2   the CLI's option checks
    ├── StorageError               exit 1   monitor.storage (engine, migrations, repository)
    │   ├── DatabaseUnavailable
    │   └── SchemaOutdated
    ├── AlreadyRunning             exit 4   monitor.storage.lock
    ├── UnsafeAddress              exit 1   (not raised: a crawl refuses with IgnoreRequest, error class unsafe_address)
    ├── ExtractionError            exit 1   (not raised: extraction reports a status instead)
    └── DigestError                exit 1   monitor.digest
        └── MailDeliveryError               monitor.digest.smtp (``temporary``: stays pending)
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit code of ``monitor``, in one place; README.md ("Exit codes") documents the same."""

    OK = 0  # done, and everything was fine
    FAILED = 1  # the command itself failed (a run that did not finish, a digest that failed for good)
    USAGE = 2  # bad usage or bad config: nothing was done
    PARTIAL = 3  # done, but some of it failed: sources (run, sources check), inputs (extract), digests pending
    LOCKED = 4  # another run holds the lock; this one did nothing
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


# What each code means for a scheduled job (``monitor.scheduler.child``).
EXIT_MEANING: dict[int, str] = {
    ExitCode.OK: "ok",
    ExitCode.FAILED: "failed",
    ExitCode.USAGE: "bad usage or config",
    ExitCode.PARTIAL: "some sources failed",
    ExitCode.LOCKED: "skipped: lock held",
    ExitCode.INTERRUPTED: "interrupted",
}


class MonitorError(Exception):
    """Base of every error news-monitor raises on purpose."""

    exit_code: int = ExitCode.FAILED


class ConfigError(MonitorError):
    """A configuration file is missing, unreadable or invalid; the message names file, key and fix."""

    exit_code = ExitCode.USAGE

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


class UsageError(MonitorError):
    """The command line asks for something that cannot be done as asked."""

    exit_code = ExitCode.USAGE


class StorageError(MonitorError):
    """The database cannot be reached or refused an operation."""


class DatabaseUnavailable(StorageError):
    """The database is down or unreachable at start; nothing was fetched."""


class SchemaOutdated(StorageError):
    """The database schema is older than this version of news-monitor expects."""


class AlreadyRunning(MonitorError):
    """Another run holds the run lock; this one exits at once."""

    exit_code = ExitCode.LOCKED


class UnsafeAddress(MonitorError):
    """A URL resolves to a loopback, private or otherwise internal address and crawling it is refused."""


class ExtractionError(MonitorError):
    """Text could not be extracted from a fetched document."""


class DigestError(MonitorError):
    """Building or delivering the digest failed."""


class MailDeliveryError(DigestError):
    """The SMTP server refused or dropped the message.

    ``temporary`` is true for 4xx replies and dropped connections: the digest stays pending and is
    retried with the same Message-ID.
    """

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary
