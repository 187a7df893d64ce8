"""Storage: SQLAlchemy models, the engine, and the repository the pipeline writes through."""

from __future__ import annotations

from functools import lru_cache

from monitor.storage.repository import Repository


@lru_cache(maxsize=8)
def repository_for(url: str) -> Repository:
    """One engine and repository per database URL per process, shared by spiders and pipeline stages."""
    from monitor.storage.engine import open_database

    _engine, sessions = open_database(url)
    return Repository(sessions)


__all__ = ["Repository", "repository_for"]
