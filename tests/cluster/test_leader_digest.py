"""The digest goes out from the leader dispatcher only, through the outbox: once a slot, however many
dispatchers run. The digest's cron fires every minute here, so the test waits for two slots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.cluster.processes import Cluster, write_cluster_config
from tests.cluster.world import World
from tests.helpers.cli import wait_until
from tests.monitor.digest.digest_helpers import MailServer, ScriptedHandler, free_port

pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer("127.0.0.1", free_port(), ScriptedHandler())
    server.start()
    yield server
    server.stop()


def test_only_the_leader_sends_the_digest_once_a_slot(
    tmp_path: Path, pg_schema_url: str, redis_url: str, mail_server: MailServer
) -> None:
    with World(sources=2, hosts=2) as world:
        config = write_cluster_config(tmp_path / "config", world.source_configs())
        monitor_yaml = config / "monitor.yaml"
        settings = yaml.safe_load(monitor_yaml.read_text())
        settings["digest"] = {
            "send_empty": True,
            "schedule": {"cron": "* * * * *"},
            "recipients": [{"email": "analyst@example.org"}],
            "smtp": {"host": "127.0.0.1", "port": mail_server.port, "security": "none"},
        }
        monitor_yaml.write_text(yaml.safe_dump(settings))
        cluster = Cluster(config, pg_schema_url, redis_url)
        try:
            leader = cluster.dispatcher("d1")
            wait_until(lambda: cluster.leader_pid() == leader.pid, timeout=120, what="d1 to lead")
            standby = cluster.dispatcher("d2")
            wait_until(lambda: "standing by" in standby.output(), timeout=120, what="d2 to stand by")
            wait_until(lambda: len(mail_server.messages()) >= 2, timeout=300, what="two digest slots")
            sent = cluster.query("SELECT message_id, status FROM digests ORDER BY id")
            leader_log, standby_log = leader.output(), standby.output()
        finally:
            cluster.close()
    ids = [str(message["Message-ID"]) for message in mail_server.messages()]
    assert len(ids) == len(set(ids)) == len(sent)  # one mail per digest row, none twice
    assert {status for _id, status in sent} == {"sent"}
    assert leader_log.count("job digest started") >= 2
    assert "job digest started" not in standby_log
