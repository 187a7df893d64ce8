"""The Typer application and the state every command shares (global options, lazily loaded config)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.logs import configure_logging

if TYPE_CHECKING:
    from monitor.config import AppConfig

app = typer.Typer(
    name="monitor",
    help="news-monitor: watches regulators and the press for data-sovereignty news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@dataclass
class State:
    config_dir: Path | None = None
    db_url: str | None = None
    allow_private: bool = False
    _config: AppConfig | None = field(default=None, repr=False)

    def config(self) -> AppConfig:
        """Load and validate ``config/`` once; a bad file raises ConfigError (exit 2)."""
        if self._config is None:
            from monitor.config import load_config

            self._config = load_config(self.config_dir, self.db_url)
        return self._config


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", envvar="MONITOR_CONFIG", help="config directory (default ./config)"),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="MONITOR_DB_URL", help="database URL (default sqlite:///data/monitor.db)"),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="allow crawling loopback and private addresses")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="debug logging")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="warnings and errors only")] = False,
) -> None:
    """Global options; see README for the configuration files."""
    current = state(ctx)
    current.config_dir, current.db_url, current.allow_private = config, db, allow_private
    configure_logging(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
