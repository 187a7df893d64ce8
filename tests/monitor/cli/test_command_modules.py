"""``monitor <command>`` imports only its command's module: the table that says which one must
name every command the modules define, and the word after a value option is never the command."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import monitor.cli as package
from monitor.cli import COMMAND_MODULES, command_module


def defined_commands() -> dict[str, str]:
    """Each command and group name -> the module that registers it, read from the modules."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.endswith("_commands"):
            continue
        found.update(_names_in(importlib.import_module(f"monitor.cli.{info.name}"), info.name))
    return found


def _names_in(module: object, name: str) -> dict[str, str]:
    from monitor.cli.app import app

    names: dict[str, str] = {}
    for command in app.registered_commands:
        if command.callback is not None and command.callback.__module__ == module.__name__:  # type: ignore[attr-defined]
            names[command.name or command.callback.__name__.replace("_", "-")] = name
    for group in app.registered_groups:
        if group.typer_instance is not None and any(
            c.callback is not None and c.callback.__module__ == module.__name__  # type: ignore[attr-defined]
            for c in group.typer_instance.registered_commands
        ):
            names[str(group.name)] = name
    return names


def test_the_table_names_every_command_and_its_module() -> None:
    assert defined_commands() == COMMAND_MODULES


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["match", "--jsonl"], "match_commands"),
        (["--config", "match", "items"], "items_commands"),  # a config directory named "match"
        (["--db", "sqlite:///x.db", "-v", "sources", "list"], "sources_commands"),
        (["--config=cfg", "digest"], "digest_commands"),
        (["--help"], None),
        ([], None),
        (["no-such-command"], None),
    ],
)
def test_the_command_is_found_past_the_global_options(argv: list[str], module: str | None) -> None:
    assert command_module(argv) == module


def test_a_command_run_alone_still_works_and_help_lists_them_all() -> None:
    match = subprocess.run(
        [sys.executable, "-m", "monitor", "match", "--help"], capture_output=True, text=True, check=False
    )
    assert match.returncode == 0, match.stderr
    assert "--jsonl" in match.stdout
    overview = subprocess.run([sys.executable, "-m", "monitor", "--help"], capture_output=True, text=True, check=False)
    assert overview.returncode == 0, overview.stderr
    for name in COMMAND_MODULES:
        assert name in overview.stdout
    unknown = subprocess.run([sys.executable, "-m", "monitor", "mtach"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2
    assert "match" in unknown.stderr  # "did you mean", with every command registered
