"""Shared option values: one date/age parser, one topic and country check for every command."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from monitor.cli import main
from monitor.cli.options import parse_age, parse_when
from monitor.errors import UsageError
from tests.helpers.paths import CONFIG_DIR

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7d", NOW - timedelta(days=7)),
        ("36h", NOW - timedelta(hours=36)),
        ("2w", NOW - timedelta(weeks=2)),
        ("90min", NOW - timedelta(minutes=90)),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T07:00", datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        ("2026-11-01T07:00+01:00", datetime(2026, 11, 1, 6, 0, tzinfo=UTC)),
    ],
)
def test_since_takes_a_date_or_an_age(value: str, expected: datetime) -> None:
    assert parse_when(value, now=NOW) == expected


@pytest.mark.parametrize("value", ["6m", "7 days", "yesterday", "2026-13-01", "-7d"])
def test_bad_since_is_one_usage_line_naming_the_option(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_when(value, "--since", now=NOW)
    assert str(caught.value).startswith(f"--since {value!r}: ") and "\n" not in str(caught.value)


def test_prune_ages_use_the_same_grammar() -> None:
    assert parse_age("26w", "--older-than") == timedelta(weeks=26)
    assert parse_age("48h", "--older-than") == timedelta(hours=48)
    # "6m" could mean six months: refused rather than read as six minutes, which would prune nearly everything.
    with pytest.raises(UsageError, match=r"--older-than '6m': months or minutes\?"):
        parse_age("6m", "--older-than")


def _config(tmp_path: Path) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    settings = {"watchlists": str(CONFIG_DIR / "watchlists.yaml")}
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    source = {"id": "cnil", "name": "CNIL", "kind": "regulator", "jurisdiction": "FR", "feeds": ["https://x.org/f"]}
    (directory / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
    return directory


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``monitor ARGS`` in this process, through the console entry point: (exit code, stderr)."""
    monkeypatch.setattr(sys, "argv", ["monitor", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    return int(caught.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "option", "value", "suggested"),
    [
        (["items"], "--topic", "data_localisation", "data_localization"),
        (["search", "cloud"], "--topic", "cross_border", "cross_border_transfers"),
        (["feed", "--out", "OUT/feed.xml"], "--topic", "adequacy", "adequacy_decisions"),
        (["items"], "--country", "UK", "GB"),
        (["search", "cloud"], "--country", "Germany", "DE"),
        (["feed", "--out", "OUT/feed.xml"], "--country", "EUR", "EU"),
        (["match", "--jsonl", "/dev/null"], "--jurisdiction", "Germany", "DE"),
        (["match", "/dev/null"], "--jurisdiction", "CHN", "CN"),
    ],
)
def test_unknown_topic_or_country_stops_with_one_line_and_close_matches(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    option: str,
    value: str,
    suggested: str,
) -> None:
    database = tmp_path / "monitor.db"
    args = [arg.replace("OUT", str(tmp_path)) for arg in command]
    code, err = run_main(
        monkeypatch, capsys, "--config", str(_config(tmp_path)), "--db", f"sqlite:///{database}", *args, option, value
    )
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith(f"monitor: error: {option} {value!r}: unknown ")
    assert suggested in lines[0].split("did you mean", 1)[1]
    assert not database.exists(), "a bad option stops the command before the database is opened"


def test_known_topic_and_lower_case_country_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--config", str(_config(tmp_path)), "--db", f"sqlite:///{tmp_path / 'm.db'}", "items", "--format", "jsonl"]
    code, err = run_main(monkeypatch, capsys, *args, "--topic", "data_localization", "--country", "eu")
    assert code == 0, err
