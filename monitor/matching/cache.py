"""A disk cache for what the matcher derives from its inputs: the parsed watchlist, the folding
tables, the gazetteer and the automaton's plan (which key goes to which automaton, as which pattern).

Every command that matches parses ~10,000 watchlist terms, builds the Unicode folding tables and
groups the keys into automaton patterns, about 0.25 s of a 0.65 s ``monitor match --jsonl``
start-up. All are pure functions of their inputs and of this package's code, so they are kept
as pickles under the user's cache directory, keyed by a SHA-256 of the input, the source of
``monitor.matching`` and the Python version: an edited watchlist, an upgraded news-monitor or
another interpreter never reads a stale entry.

The directory is ``$MONITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/news-monitor``, else
``~/.cache/news-monitor``; ``MONITOR_CACHE_DIR=off`` turns the cache off. It holds only what this
user's own news-monitor wrote there (pickles are code: a directory that others can write is
refused). Any problem reading or writing it falls back to building in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from monitor.gc_pause import paused_gc

log = logging.getLogger(__name__)

CACHE_ENV = "MONITOR_CACHE_DIR"
_T = TypeVar("_T")


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return None if configured.lower() == "off" else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "news-monitor"


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """This package's source and the interpreter: what the cached values were computed by."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.digest()


def cached(kind: str, key: bytes, build: Callable[[], _T]) -> _T:
    """``build()``, or its result from an earlier process with the same ``kind`` and ``key``."""
    with paused_gc():
        return _cached(kind, key, build)


def _cached(kind: str, key: bytes, build: Callable[[], _T]) -> _T:
    directory = cache_dir()
    if directory is None:
        return build()
    name = hashlib.sha256(kind.encode() + b"\0" + code_fingerprint() + key).hexdigest()[:32]
    path = directory / f"{kind}-{name}.pickle"
    try:
        if _trusted(directory):
            with path.open("rb") as handle:
                return pickle.load(handle)  # type: ignore[no-any-return]  # noqa: S301 - our own directory, see _trusted
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign file of any kind is a miss, not an error
        log.debug("matcher cache %s unreadable (%s); rebuilding", path, exc)
    value = build()
    _store(directory, path, value)
    return value


def _trusted(directory: Path) -> bool:
    """The directory is ours and nobody else may write to it."""
    info = directory.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _store(directory: Path, path: Path, value: object) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(directory):
            return
        # Written aside, then renamed: a concurrent reader sees the old file or the whole new one.
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    except OSError as exc:
        log.debug("matcher cache %s not written: %s", path, exc)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        # One entry per kind: what an older watchlist or news-monitor wrote is of no more use.
        for stale in directory.glob(f"{path.name.split('-')[0]}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.debug("matcher cache %s not written: %s", path, exc)
        Path(temporary).unlink(missing_ok=True)
