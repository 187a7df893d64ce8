"""Config validation: a bad file stops start-up with one line naming file, key and problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError
from tests.helpers import REPO_ROOT

GOOD_SOURCES = """
sources:
  - id: cnil
    name: CNIL
    kind: regulator
    jurisdiction: FR
    language: fr
    feeds: ["https://www.cnil.fr/fr/rss.xml"]
"""


def write_config(tmp_path: Path, monitor: str = "{}", sources: str = GOOD_SOURCES) -> Path:
    (tmp_path / "monitor.yaml").write_text(monitor, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    return tmp_path


def test_repository_config_is_valid() -> None:
    config = load_config(REPO_ROOT / "config")
    # load_config is the check (a source without entry points is a ConfigError); only this is left.
    assert config.sources, "the shipped catalogue must not be empty"


def test_defaults_and_db_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_DB_URL", raising=False)
    config = load_config(write_config(tmp_path))
    assert config.database_url == "sqlite:///data/monitor.db"
    monkeypatch.setenv("MONITOR_DB_URL", "sqlite:///env.db")
    assert load_config(tmp_path).database_url == "sqlite:///env.db"
    assert load_config(tmp_path, "sqlite:///arg.db").database_url == "sqlite:///arg.db"


@pytest.mark.parametrize(
    ("monitor", "sources", "file", "key", "fragment"),
    [
        (
            "politeness:\n  download_dealy: 2\n",
            GOOD_SOURCES,
            "monitor.yaml",
            "politeness.download_dealy",
            "unknown key",
        ),
        (
            "politeness:\n  download_timeout: -1\n",
            GOOD_SOURCES,
            "monitor.yaml",
            "politeness.download_timeout",
            "greater than 0",
        ),
        ("timezone: Mars/Olympus\n", GOOD_SOURCES, "monitor.yaml", "timezone", "unknown timezone"),
        ("user_agent: anonymous-bot\n", GOOD_SOURCES, "monitor.yaml", "user_agent", "contact"),
        ("schedules:\n  - {name: x, cron: '* *'}\n", GOOD_SOURCES, "monitor.yaml", "schedules[0].cron", "5 fields"),
        (
            "{}",
            GOOD_SOURCES.replace("jurisdiction: FR", "jurisdiction: France"),
            "sources.yaml",
            "sources[cnil].jurisdiction",
            "alpha-2",
        ),
        (
            "{}",
            GOOD_SOURCES.replace('feeds: ["https://www.cnil.fr/fr/rss.xml"]', "feeds: []"),
            "sources.yaml",
            "sources[cnil]",
            "at least one of feeds",
        ),
        ("{}", GOOD_SOURCES.replace("https://www", "ftp://www"), "sources.yaml", "sources[cnil].feeds", "http(s)"),
        (
            "{}",
            GOOD_SOURCES + "  - {id: cnil, name: again, kind: press, jurisdiction: FR, feeds: ['https://x.org/f']}\n",
            "sources.yaml",
            "sources",
            "appears twice",
        ),
        ("a: [unclosed\n", GOOD_SOURCES, "monitor.yaml", "line", "invalid YAML"),
    ],
)
def test_bad_values_name_file_key_and_problem(
    tmp_path: Path, monitor: str, sources: str, file: str, key: str, fragment: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, monitor, sources))
    message = str(caught.value)
    assert file in message and key in message and fragment in message
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    (tmp_path / "monitor.yaml").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="sources.yaml: file not found"):
        load_config(tmp_path)


def test_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    write_config(tmp_path, "politeness:\n  concurrent_requests_per_domain: 99\n")
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(tmp_path), "--db", f"sqlite:///{tmp_path}/x.db", "run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "monitor.yaml" in lines[0] and "politeness.concurrent_requests_per_domain" in lines[0]
    assert not (tmp_path / "x.db").exists(), "a bad config must stop the run before the database is touched"


def test_schedules_default_to_the_top_level_timezone(tmp_path: Path) -> None:
    monitor = (
        "timezone: Asia/Tokyo\n"
        "schedules:\n"
        "  - {name: own, cron: '0 * * * *', timezone: Europe/Brussels}\n"
        "  - {name: inherited, cron: '0 * * * *'}\n"
        "digest:\n"
        "  schedule: {cron: '0 7 * * *'}\n"
    )
    settings = load_config(write_config(tmp_path, monitor)).settings
    assert [schedule.timezone for schedule in settings.schedules] == ["Europe/Brussels", "Asia/Tokyo"]
    assert settings.digest.schedule.timezone == "Asia/Tokyo"
    assert settings.digest.timezone == "Asia/Tokyo"


def test_no_digest_section_still_inherits_the_timezone(tmp_path: Path) -> None:
    settings = load_config(write_config(tmp_path, "timezone: America/New_York\n")).settings
    assert settings.digest.schedule.timezone == "America/New_York"
    assert load_config(write_config(tmp_path, "{}")).settings.digest.schedule.timezone == "UTC"


@pytest.mark.parametrize("key", ["allowed_domains: [cnil.fr]", "schedule: '0 * * * *'"])
def test_keys_that_did_nothing_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, sources=GOOD_SOURCES + f"    {key}\n"))
    assert f"sources[cnil].{key.split(':')[0]}: unknown key" in str(caught.value)


def test_watchlist_is_read_through_the_config_loader(tmp_path: Path) -> None:
    watchlists = tmp_path / "rules"
    watchlists.mkdir()
    (watchlists / "topics.yaml").write_text(
        "topics:\n  cloud:\n    label: Cloud\n    terms:\n      en: [sovereign cloud]\n", encoding="utf-8"
    )
    (tmp_path / "config").mkdir()
    config = load_config(write_config(tmp_path / "config", "watchlists: ../rules/topics.yaml\n"))
    assert [topic.label for topic in config.watchlist.topics] == ["Cloud"]
    (watchlists / "topics.yaml").write_text("topics: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules/topics\.yaml: line \d+: invalid YAML"):
        _ = load_config(tmp_path / "config").watchlist
