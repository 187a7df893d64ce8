"""``monitor digest --send`` as one call: the config wired to an Outbox, under the digest lock."""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage

from monitor.config import AppConfig
from monitor.digest.labels import topic_labels
from monitor.digest.outbox import Deliver, Outbox, Outcome

log = logging.getLogger(__name__)

# Name of the database lock: two digest senders (cron and the daemon, or two crons) must never
# build the same recipient's digest at once.
LOCK_NAME = "digest"


def outbox_for(config: AppConfig, deliver: Deliver | None = None) -> Outbox:
    """An Outbox over the configured database and SMTP server (password read once, from the environment)."""
    from monitor.digest.smtp import deliver as smtp_deliver
    from monitor.digest.smtp import smtp_password
    from monitor.storage import repository_for

    smtp = config.settings.digest.smtp
    if deliver is None:
        password = smtp_password(smtp)

        def deliver(message: EmailMessage) -> None:
            smtp_deliver(message, smtp, password=password)

    return Outbox(
        repository_for(config.database_url).sessions,
        config.settings.digest,
        deliver=deliver,
        topic_labels=topic_labels(config),
    )


def send_digests(
    config: AppConfig, *, retry_only: bool = False, now: datetime | None = None, deliver: Deliver | None = None
) -> list[Outcome]:
    """Send what is due, holding the digest lock; AlreadyRunning if another sender holds it."""
    from monitor.storage import repository_for
    from monitor.storage.lock import run_lock

    outbox = outbox_for(config, deliver)
    with run_lock(repository_for(config.database_url).engine, name=LOCK_NAME):
        return outbox.run(now, retry_only=retry_only)
