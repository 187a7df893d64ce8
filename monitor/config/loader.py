"""Reads and validates the configuration directory once, at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from monitor.config.schema import MonitorSettings, Source, SourcesFile
from monitor.errors import ConfigError
from monitor.gc_pause import paused_gc

if TYPE_CHECKING:
    from monitor.matching.watchlist import Watchlist

DEFAULT_DB_URL = "sqlite:///data/monitor.db"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class AppConfig:
    """Everything a command needs from ``config/``; passed explicitly, never a global."""

    config_dir: Path
    settings: MonitorSettings
    sources: list[Source] = field(default_factory=list)
    database_url: str = DEFAULT_DB_URL

    @property
    def watchlists_path(self) -> Path:
        """``monitor.yaml``'s ``watchlists``, relative to the config directory (default ``watchlists.yaml``)."""
        return self.config_dir / self.settings.watchlists

    @cached_property
    def watchlist(self) -> Watchlist:
        """The validated topic rules and country lexicon, read on first use (a bad file: ConfigError)."""
        from monitor.matching.watchlist import load_watchlist

        return load_watchlist(self.watchlists_path)

    def select(self, source_ids: list[str] | None, include_disabled: bool = False) -> list[Source]:
        """The named sources (each must exist), or every enabled one; raises UsageError when none."""
        from monitor.errors import UsageError

        if source_ids:
            selected = [self.source(source_id) for source_id in source_ids]
        else:
            selected = [source for source in self.sources if source.enabled or include_disabled]
        if not selected:
            raise UsageError(f"no enabled sources to crawl; check {self.config_dir / 'sources.yaml'}")
        return selected

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise ConfigError(str(self.config_dir / "sources.yaml"), source_id, f"no such source (known: {known})")


def read_yaml(path: Path) -> object:
    """Parse one YAML file, turning every failure into a one-line ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "", "file not found; copy it from the repository's config/ folder") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc}") from exc
    try:
        # libyaml's parser when PyYAML has it: the watchlist takes ~0.1 s in pure Python, 10x less in C,
        # and every command reads it (``monitor match`` start-up is a target, bench/bench_startup.py).
        return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(str(path), where, f"invalid YAML: {problem}") from exc


def _key_path(loc: tuple[int | str, ...], data: object) -> str:
    """Render a pydantic error location, naming list entries by their ``id`` when they have one."""
    parts: list[str] = []
    node: object = data
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict) and "id" in node:
                    label = str(node["id"])
            parts.append(f"[{label}]")
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts)


def validate(model: type[Model], data: object, path: Path) -> Model:
    """Validate ``data`` against ``model``; the first problem becomes a one-line ConfigError."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key; check its spelling against the README"
        elif first["type"] == "missing":
            message = "required key is missing"
        raise ConfigError(str(path), _key_path(tuple(first["loc"]), data), message) from exc


def load_config(config_dir: Path | str | None = None, database_url: str | None = None) -> AppConfig:
    """Load ``monitor.yaml`` and ``sources.yaml`` from ``config_dir``.

    The database URL is the first of: the argument (``--db``), ``MONITOR_DB_URL``, the file's
    ``database_url``, a SQLite file under ``./data``.
    """
    with paused_gc():
        return _load_config(config_dir, database_url)


def _load_config(config_dir: Path | str | None, database_url: str | None) -> AppConfig:
    directory = Path(config_dir or os.environ.get("MONITOR_CONFIG") or "config")
    if not directory.is_dir():
        raise ConfigError(str(directory), "", "config directory not found; pass --config DIR or set MONITOR_CONFIG")
    settings_path = directory / "monitor.yaml"
    settings = validate(MonitorSettings, read_yaml(settings_path), settings_path)
    sources_path = directory / "sources.yaml"
    sources_file = validate(SourcesFile, read_yaml(sources_path), sources_path)
    known = {source.id for source in sources_file.sources}
    for index, schedule in enumerate(settings.schedules):
        for source_id in schedule.sources:
            if source_id not in known:
                raise ConfigError(str(settings_path), f"schedules[{index}].sources", f"unknown source id {source_id!r}")
    url = database_url or os.environ.get("MONITOR_DB_URL") or settings.database_url or DEFAULT_DB_URL
    config = AppConfig(config_dir=directory, settings=settings, sources=list(sources_file.sources), database_url=url)
    digest = settings.digest
    if any(r.topics or r.countries for r in digest.recipients) or any(
        s.topics or s.countries or s.urgent_topics for s in digest.subscriptions
    ):
        # A subscription's topics and codes are the watchlist's: a typo would silently empty a digest.
        from monitor.config.names import check_subscriptions

        problem = check_subscriptions(settings, config.watchlist)
        if problem:
            raise ConfigError(str(settings_path), *problem)
    return config
