"""The Typer application and the state every command shares (global options, lazily loaded config).

The global options (``--config``, ``--db``, ``--allow-private``, ``-v``, ``-q``) are declared once,
on the root callback, and :class:`MonitorGroup` attaches copies of them to every command and
sub-command, so ``monitor --db URL items`` and ``monitor items --db URL`` mean the same; a value
given after the command name wins over one given before it.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, cast

import typer
from typer.core import TyperGroup, TyperOption

from monitor.logs import configure_logging

if TYPE_CHECKING:
    from monitor.config import AppConfig

# Names of the root callback's parameters that every command accepts as well.
GLOBAL_OPTIONS = ("config", "db", "allow_private", "verbose", "quiet")


class _Command(Protocol):
    """What a Typer command and a Typer group have in common here."""

    name: str | None
    params: list[Any]


class MonitorGroup(TyperGroup):
    """The root command group: its global options are also accepted after any command name."""

    def __init__(self, **attrs: object) -> None:
        super().__init__(**attrs)  # type: ignore[arg-type]  # Typer passes its own keyword arguments through
        shared = [param for param in self.params if isinstance(param, TyperOption) and param.name in GLOBAL_OPTIONS]
        for command in _commands(self.commands.values()):
            taken = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
            for param in shared:
                clash = taken & set(param.opts)
                if clash:
                    raise TypeError(f"command {command.name!r} redefines the global option {sorted(clash)[0]}")
                command.params.append(_after_command(param))


def _commands(commands: Iterable[_Command]) -> Iterator[_Command]:
    """Every command and sub-group below the root, depth first."""
    for command in commands:
        yield command
        if isinstance(command, TyperGroup):
            yield from _commands(command.commands.values())


def _after_command(param: TyperOption) -> TyperOption:
    """A copy of a root option for one command: command line only, applied to the shared State."""
    late = copy.copy(param)
    late.envvar = None  # the root option reads the environment; a second read would undo a value given before
    late.show_envvar = False
    late.expose_value = False
    late.callback = cast("Callable[..., object]", _apply_late)  # called as (context, parameter, value)
    return late


def _apply_late(ctx: typer.Context, param: TyperOption, value: object) -> object:
    """Callback of a global option after the command name: recorded when given (a flag when set)."""
    if value is not None and value is not False and param.name:
        state(ctx).apply(param.name, value)
    return value


app = typer.Typer(
    name="monitor",
    cls=MonitorGroup,
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
    log_level: int = logging.INFO
    _config: AppConfig | None = field(default=None, repr=False)

    def config(self) -> AppConfig:
        """Load and validate ``config/`` once; a bad file raises ConfigError (exit 2)."""
        if self._config is None:
            from monitor.config import load_config

            self._config = load_config(self.config_dir, self.db_url)
        return self._config

    def apply(self, name: str, value: object) -> None:
        """Record one global option given after the command name (a flag only when it is set)."""
        if name == "config":
            self.config_dir, self._config = Path(str(value)), None
        elif name == "db":
            self.db_url, self._config = str(value), None
        elif name == "allow_private":
            self.allow_private = True
        elif name in ("verbose", "quiet"):
            self.log_level = logging.DEBUG if name == "verbose" else logging.WARNING
            configure_logging(self.log_level)


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
    """Global options, accepted before or after the command name; see README for the configuration files."""
    current = state(ctx)
    current.config_dir, current.db_url, current.allow_private = config, db, allow_private
    current.log_level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    configure_logging(current.log_level)
