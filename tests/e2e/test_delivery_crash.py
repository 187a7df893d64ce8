"""No double send after a crash between the send and its commit: a sender process SIGKILLs itself
right after the webhook accepted the message (MONITOR_TEST_CRASH_AFTER_SEND); the next run finds
the row ``sending``, records it as sent, and sends nothing again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from monitor.digest.outbox import CRASH_AFTER_SEND_ENV, INTERRUPTED, Outbox
from monitor.storage.models import Digest
from tests.monitor.delivery.conftest import receiver  # noqa: F401 - fixture
from tests.monitor.delivery.receiver import Receiver
from tests.monitor.digest.conftest import corpus  # noqa: F401 - fixture
from tests.monitor.digest.digest_helpers import NOW, Corpus, digest_settings, standard_corpus

SENDER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from monitor.config.schema import DigestSettings
    from monitor.digest.outbox import Outbox
    from monitor.storage import repository_for

    url, settings_json, now = sys.argv[1:4]
    settings = DigestSettings.model_validate_json(settings_json)
    Outbox(repository_for(url).sessions, settings).run(datetime.fromisoformat(now))
    print("not killed")
    """
)


def test_killed_between_send_and_commit_is_not_sent_again(corpus: Corpus, receiver: Receiver) -> None:  # noqa: F811
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(
        1, [], subscriptions=[{"name": "tickets", "url": f"json://127.0.0.1:{receiver.port}/hooks"}]
    )
    env = {**os.environ, CRASH_AFTER_SEND_ENV: "1"}
    done = subprocess.run(
        [sys.executable, "-c", SENDER, corpus.url, settings.model_dump_json(), NOW.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "not killed" not in done.stdout
    assert len(receiver.accepted) == 1
    with corpus.repository.sessions() as session:
        assert [r.status for r in session.scalars(select(Digest))] == ["sending"]

    outcomes = Outbox(corpus.repository.sessions, settings).run(NOW + timedelta(hours=1))
    # Nothing owed and nothing new: the interrupted message counts as sent, its items with it.
    assert [(o.status, o.item_count) for o in outcomes] == [("skipped", 0)]
    with corpus.repository.sessions() as session:
        row = session.scalars(select(Digest).order_by(Digest.id)).first()
        assert row is not None
        assert (row.status, row.last_error) == ("sent", INTERRUPTED)
    later = Outbox(corpus.repository.sessions, settings).run(NOW + timedelta(days=1))
    assert [o.status for o in later] == ["skipped"]  # its items are not sent a second time
    assert len(receiver.requests) == 1
    assert json.loads(receiver.accepted[0].json()["message"])["message_id"] == row.message_id
