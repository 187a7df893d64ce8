"""``monitor digest --send`` and ``--send --immediate`` with subscriptions, through the real CLI, with
the shipped SMTP block's ``user: null`` and no password variable set."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.helpers.paths import CONFIG_DIR
from tests.monitor.delivery.receiver import Receiver
from tests.monitor.digest.digest_helpers import Corpus, MailServer, standard_corpus
from tests.monitor.digest.test_digest_cli import SOURCES, invoke


def config_dir(tmp_path: Path, mail_port: int, hook_port: int) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    settings = {
        "watchlists": str(CONFIG_DIR / "watchlists.yaml"),
        "digest": {
            "schedule": {"cron": "0 7 * * *", "timezone": "Europe/Brussels"},
            "recipients": [{"email": "analyst@example.org"}],
            "subscriptions": [
                {
                    "name": "urgent-hook",
                    "url": f"json://127.0.0.1:{hook_port}/urgent",
                    "cadence": "immediate",
                    "min_score": 0.85,
                },
            ],
            # The shipped block: no login, a password variable named but not set.
            "smtp": {
                "host": "127.0.0.1",
                "port": mail_port,
                "security": "none",
                "user": None,
                "password_env": "MONITOR_SMTP_PASSWORD",
                "sender": "monitor@example.org",
            },
        },
    }
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (directory / "sources.yaml").write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    return directory


def test_send_and_immediate_through_the_cli(
    corpus: Corpus, mail_server: MailServer, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONITOR_SMTP_PASSWORD", raising=False)
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    config = config_dir(tmp_path, mail_server.port, receiver.port)
    base = ("--config", str(config), "--db", corpus.url, "digest", "--send")
    immediate = invoke(*base, "--immediate")
    assert immediate.exit_code == 0, immediate.output
    assert "urgent-hook: sent, 4 items" in immediate.output and not mail_server.handler.received
    daily = invoke(*base)
    assert daily.exit_code == 0, daily.output
    assert "analyst@example.org: sent, 4 items" in daily.output and "urgent-hook" not in daily.output
    assert len(mail_server.messages()) == 1 and len(receiver.accepted) == 1
    doc = json.loads(receiver.accepted[0].json()["message"])
    assert doc["cadence"] == "immediate" and doc["subscription"] == "urgent-hook"
