"""Storage: SQLAlchemy models, the engine, and the repository that crawls and commands write through.

``open_database`` opens a database for the caller, who closes it. The crawl opens one per crawler
(``spiders.database``). A CLI command runs once per process and shares one per URL through
``repository_for``; ``dispose_all`` closes those (tests, forks).
"""

from __future__ import annotations

from monitor.storage.database import Database, open_database
from monitor.storage.repository import Repository

# The databases ``repository_for`` opened in this process, by URL, until ``dispose_all``.
_command_databases: dict[str, Database] = {}


def repository_for(url: str) -> Repository:
    """The repository of the database at ``url`` for a CLI command: opened once, reused by the command."""
    database = _command_databases.get(url)
    if database is None:
        database = _command_databases[url] = open_database(url)
    return database.repository


def dispose_all() -> None:
    """Close every database ``repository_for`` opened and forget them (tests, forks)."""
    while _command_databases:
        _command_databases.popitem()[1].close()


__all__ = ["Database", "Repository", "dispose_all", "open_database", "repository_for"]
