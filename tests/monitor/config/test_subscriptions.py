"""A digest subscription naming an unknown topic or country code stops at config load (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError
from tests.helpers.paths import CONFIG_DIR
from tests.monitor.config.test_loader import write_config

WATCHLISTS = f"watchlists: {CONFIG_DIR / 'watchlists.yaml'}\n"


def _monitor(topics: str = "[]", countries: str = "[]") -> str:
    return (
        WATCHLISTS
        + "digest:\n  recipients:\n"
        + "    - email: all@example.org\n"
        + f"    - email: desk@example.org\n      topics: {topics}\n      countries: {countries}\n"
    )


@pytest.mark.parametrize(
    ("topics", "countries", "key", "fragment", "suggested"),
    [
        ("[data_localisation]", "[]", "topics", "'data_localisation': unknown topic id", "data_localization"),
        ("[cross_border_transfers]", "[CN, HKG]", "countries", "'HKG': unknown country code", "HK"),
        ("[]", "[UK]", "countries", "'UK': unknown country code", "GB"),
    ],
)
def test_unknown_topic_or_code_names_recipient_key_and_close_matches(
    tmp_path: Path, topics: str, countries: str, key: str, fragment: str, suggested: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, _monitor(topics, countries)))
    message = str(caught.value)
    assert f"monitor.yaml: digest.recipients[desk@example.org].{key}: {fragment}" in message
    assert suggested in message.split("did you mean", 1)[1]


def test_known_topics_and_codes_load(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, _monitor("[cross_border_transfers]", "[CN, HK, EU]")))
    assert config.settings.digest.recipients[1].countries == ["CN", "HK", "EU"]


def test_the_cli_stops_with_exit_2_and_one_line(tmp_path: Path) -> None:
    write_config(tmp_path, _monitor("[cross_border_transfer]"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(tmp_path),
            "--db",
            f"sqlite:///{tmp_path}/x.db",
            "digest",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "did you mean cross_border_transfers?" in lines[0]
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("field", "value", "fragment", "suggested"),
    [
        ("topics", "[data_localisation]", "'data_localisation': unknown topic id", "data_localization"),
        ("urgent_topics", "[goverment_access]", "'goverment_access': unknown topic id", "government_access"),
        ("countries", "[UK]", "'UK': unknown country code", "GB"),
    ],
)
def test_a_typo_in_a_channel_subscription_stops_at_load(
    tmp_path: Path, field: str, value: str, fragment: str, suggested: str
) -> None:
    """A Slack or webhook subscription with a typo would otherwise receive nothing, silently."""
    text = (
        WATCHLISTS
        + "digest:\n  subscriptions:\n"
        + "    - name: desk-slack\n      url: json://127.0.0.1:9/hook\n      cadence: immediate\n"
        + f"      {field}: {value}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, text))
    message = str(caught.value)
    assert f"digest.subscriptions[desk-slack].{field}: {fragment}" in message
    assert suggested in message.split("did you mean", 1)[1]
