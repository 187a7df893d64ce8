"""The exception tree of news-monitor.

Third-party errors are translated into these at one boundary each (``raise ... from exc``) so
that a caller can tell a bad config from a dead database from a failed fetch, and the CLI can map
each to its exit code.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error news-monitor raises on purpose."""

    exit_code: int = 1


class ConfigError(MonitorError):
    """A configuration file is missing, unreadable or invalid; the message names file, key and fix."""

    exit_code = 2

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


class UsageError(MonitorError):
    """The command line asks for something that cannot be done as asked."""

    exit_code = 2


class StorageError(MonitorError):
    """The database cannot be reached or refused an operation."""


class DatabaseUnavailable(StorageError):
    """The database is down or unreachable at start; nothing was fetched."""


class SchemaOutdated(StorageError):
    """The database schema is older than this version of news-monitor expects."""


class AlreadyRunning(MonitorError):
    """Another run holds the run lock; this one exits at once."""

    exit_code = 4


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
