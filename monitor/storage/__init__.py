"""Storage: SQLAlchemy models, the engine, and the repository the pipeline writes through."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from monitor.storage.repository import Repository

_engines: list[Engine] = []


@lru_cache(maxsize=8)
def repository_for(url: str) -> Repository:
    """One engine and repository per database URL per process, shared by spiders and pipeline stages."""
    from monitor.storage.engine import open_database

    engine, sessions = open_database(url)
    _engines.append(engine)
    return Repository(sessions)


def dispose_all() -> None:
    """Close every pooled connection this process opened and forget the repositories (tests, forks)."""
    repository_for.cache_clear()
    while _engines:
        _engines.pop().dispose()


__all__ = ["Repository", "dispose_all", "repository_for"]
