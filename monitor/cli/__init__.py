"""Command line: ``monitor <command>``. Each command group lives in its own module."""

from __future__ import annotations

import errno
import os
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
