"""Command line: ``monitor <command>``. Each command group lives in its own module."""

from __future__ import annotations

import errno
import os
import sys

import typer

from monitor.cli.app import app
from monitor.errors import ExitCode, MonitorError

# The module that defines each command: ``monitor match`` imports match_commands alone, not the
# other sixteen modules (a tenth of its start-up went there). No command, ``--help``, shell
# completion or an unknown name import them all, so that help and "no such command" are whole.
# tests/monitor/cli/test_command_modules.py keeps this table true to the modules.
COMMAND_MODULES = {
    "crawl": "crawl_commands",
    "db": "db_commands",
    "demo": "crawl_commands",
    "digest": "digest_commands",
    "dispatch": "cluster_commands",
    "extract": "match_commands",
    "feed": "feed_commands",
    "items": "items_commands",
    "match": "match_commands",
    "prune": "db_commands",
    "rematch": "rematch_commands",
    "rules": "rules_commands",
    "run": "crawl_commands",
    "schedule": "schedule_commands",
    "search": "search_commands",
    "serve": "serve_commands",
    "sources": "sources_commands",
    "users": "users_commands",
    "worker": "cluster_commands",
}
# Global options that take a value (``main_options`` in app.py): the word after them is no command.
_VALUE_OPTIONS = frozenset({"--config", "--db"})


def command_module(argv: list[str]) -> str | None:
    """The module of the command that ``argv`` (without the program name) runs, or None."""
    words = iter(argv)
    for word in words:
        if word in _VALUE_OPTIONS:
            next(words, None)
        elif word == "--help" or word == "--":
            return None
        elif not word.startswith("-"):
            return COMMAND_MODULES.get(word)
    return None


def _register(argv: list[str] | None = None) -> None:
    # Importing a module registers its commands on ``app``; heavy libraries are imported inside
    # the command functions so that ``monitor --help`` starts fast.
    import importlib
    import pkgutil

    import monitor.cli as package

    module = None if argv is None or "_MONITOR_COMPLETE" in os.environ else command_module(argv)
    if module is not None:
        importlib.import_module(f"monitor.cli.{module}")
        return
    for found in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if found.name.endswith("_commands"):
            importlib.import_module(f"monitor.cli.{found.name}")


def main() -> None:
    """Console entry point: a MonitorError becomes one line on stderr and its exit code."""
    _register(sys.argv[1:])
    try:
        app()
    except MonitorError as exc:
        typer.echo(f"monitor: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("monitor: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # ``monitor items | head``: the reader left; say nothing more (Python's own advice).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.FAILED)
    except OSError as exc:
        # The machine refused (a folder that cannot be created or written, a full disk): one line
        # naming the path and the cause, exit 1, as for any other trouble of the environment.
        typer.echo(f"monitor: error: {os_error_line(exc)}", err=True)
        sys.exit(ExitCode.FAILED)


def os_error_line(exc: OSError) -> str:
    """``cannot write /data/out: No space left on device (the disk is full)``, without a traceback."""
    cause = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        cause += " (the disk is full)"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause += " (check the folder's permissions, or choose another with --out / --db)"
    where = exc.filename if exc.filename is not None else None
    return f"cannot use {where}: {cause}" if where else cause
