"""``monitor run`` itself sends the "as it happens" messages: a crawl over the fixture sites ends
with one webhook message of its new urgent items, and a second run with nothing new sends none."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.storage import dispose_all
from tests.helpers.cli import monitor
from tests.helpers.config import write_demo_config
from tests.mockserver import FixtureServer
from tests.monitor.delivery.receiver import Receiver


def _with_subscription(directory: Path, hook_port: int) -> None:
    import yaml

    settings_path = directory / "monitor.yaml"
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    settings["digest"] = {
        "subscriptions": [
            {
                "name": "transfers-hook",
                "url": f"json://127.0.0.1:{hook_port}/transfers",
                "cadence": "immediate",
                "urgent_topics": ["cross_border_transfers"],
            }
        ]
    }
    settings_path.write_text(yaml.safe_dump(settings), encoding="utf-8")


def test_a_run_sends_its_urgent_items_once(tmp_path: Path) -> None:
    receiver = Receiver()
    receiver.start()
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    try:
        with FixtureServer() as server:
            config = write_demo_config(tmp_path / "config", server)
            _with_subscription(config, receiver.port)
            first = monitor(config, database_url, "run")
            assert first.returncode == 0, first.stderr[-3000:]
            assert len(receiver.accepted) == 1, first.stderr[-3000:]
            document = json.loads(receiver.accepted[0].json()["message"])
            assert document["cadence"] == "immediate" and document["subscription"] == "transfers-hook"
            assert document["items"], document
            assert all(
                any(t["topic"] == "cross_border_transfers" for t in item["topics"]) for item in document["items"]
            )

            second = monitor(config, database_url, "run")
            assert second.returncode == 0, second.stderr[-3000:]
            assert len(receiver.accepted) == 1  # nothing new: no second message
    finally:
        receiver.stop()
        dispose_all()
