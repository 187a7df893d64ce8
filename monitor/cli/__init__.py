"""Command line: ``monitor <command>``. Each command group lives in its own module."""

from __future__ import annotations

import sys

import typer

from monitor.cli.app import app
from monitor.errors import ExitCode, MonitorError


def _register() -> None:
    # Importing a module registers its commands on ``app``; heavy libraries are imported inside
    # the command functions so that ``monitor --help`` starts fast.
    import importlib
    import pkgutil

    import monitor.cli as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.endswith("_commands"):
            importlib.import_module(f"monitor.cli.{module.name}")


def main() -> None:
    """Console entry point: a MonitorError becomes one line on stderr and its exit code."""
    _register()
    try:
        app()
    except MonitorError as exc:
        typer.echo(f"monitor: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("monitor: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
