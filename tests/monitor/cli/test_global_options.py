"""Global options (--config, --db, --allow-private, -v, -q) before or after the command name."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from monitor.cli import _register
from monitor.cli.app import app
from monitor.storage import dispose_all

SOURCE = {"id": "cnil", "name": "CNIL", "kind": "regulator", "jurisdiction": "FR", "feeds": ["https://x.org/f"]}


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    dispose_all()
    root.setLevel(level)
    root.handlers[:] = handlers


def config_dir(directory: Path, source_id: str = "cnil") -> Path:
    directory.mkdir(parents=True)
    settings = {"schedules": [{"name": "all", "cron": "15 */3 * * *"}]}
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (directory / "sources.yaml").write_text(yaml.safe_dump({"sources": [{**SOURCE, "id": source_id}]}))
    return directory


def invoke(*args: str) -> Result:
    _register()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_db_and_config_after_the_command(tmp_path: Path) -> None:
    config = config_dir(tmp_path / "config")
    result = invoke("items", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'after.db'}", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "published_at,source," in result.output
    assert (tmp_path / "after.db").exists()


def test_a_value_after_the_command_wins_over_one_before(tmp_path: Path) -> None:
    before, after = config_dir(tmp_path / "before", "before-src"), config_dir(tmp_path / "after", "after-src")
    result = invoke(
        "--config", str(before), "--db", f"sqlite:///{tmp_path / 'before.db'}",
        "sources", "list", "--config", str(after), "--db=sqlite:///" + str(tmp_path / "after.db"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "after-src" in result.output and "before-src" not in result.output
    assert (tmp_path / "after.db").exists() and not (tmp_path / "before.db").exists()


def test_sub_command_of_a_sub_app(tmp_path: Path) -> None:
    config = config_dir(tmp_path / "config")
    result = invoke("db", "current", "--db", f"sqlite:///{tmp_path / 'fresh.db'}", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "revision none;" in result.output


def test_allow_private_after_the_command_reaches_the_scheduled_children(tmp_path: Path) -> None:
    config = config_dir(tmp_path / "config")
    database = f"sqlite:///{tmp_path / 'm.db'}"
    plain = invoke("--config", str(config), "--db", database, "schedule", "--list")
    allowed = invoke("schedule", "--list", "--allow-private", "--config", str(config), "--db", database)
    assert plain.exit_code == 0 and allowed.exit_code == 0, allowed.output
    assert "--allow-private" not in plain.output
    assert "-m monitor --allow-private run" in allowed.output.replace("\t", " ").split("crawl:all", 1)[1]


@pytest.mark.parametrize(
    ("flag", "level"), [("-v", logging.DEBUG), ("--verbose", logging.DEBUG), ("-q", logging.WARNING)]
)
def test_log_level_flags_after_the_command(tmp_path: Path, flag: str, level: int) -> None:
    config = config_dir(tmp_path / "config")
    result = invoke("items", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'm.db'}", flag)
    assert result.exit_code == 0, result.output
    assert logging.getLogger().level == level


def test_help_of_a_command_lists_the_global_options() -> None:
    result = invoke("search", "--help")
    assert result.exit_code == 0
    assert all(option in result.output for option in ("--config", "--db", "--allow-private", "--verbose", "--quiet"))
