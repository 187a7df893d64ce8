"""``monitor digest --send`` as one call: the config wired to an Outbox, under the digest lock."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage

from monitor.config import AppConfig
from monitor.digest.labels import topic_labels
from monitor.digest.outbox import DIGEST_CADENCES, Deliver, Outbox, Outcome

log = logging.getLogger(__name__)

# Name of the database lock: two senders (cron and the daemon, or two crons, or a run's
# immediate messages) must never build the same subscription's message at once.
LOCK_NAME = "digest"


def smtp_deliver_for(config: AppConfig) -> Deliver:
    """SMTP delivery with the password read once, from the environment, and only if a user logs in."""
    from monitor.digest.smtp import deliver as smtp_deliver
    from monitor.digest.smtp import smtp_password

    smtp = config.settings.digest.smtp
    password = smtp_password(smtp)

    def deliver(message: EmailMessage) -> None:
        smtp_deliver(message, smtp, password=password)

    return deliver


def outbox_for(config: AppConfig, deliver: Deliver | None = None) -> Outbox:
    """An Outbox over the configured database, SMTP server and Apprise channels."""
    from monitor.storage import repository_for

    return Outbox(
        repository_for(config.database_url).sessions,
        config.settings.digest,
        deliver=deliver or smtp_deliver_for(config),
        topic_labels=topic_labels(config),
    )


def send_digests(
    config: AppConfig,
    *,
    retry_only: bool = False,
    now: datetime | None = None,
    deliver: Deliver | None = None,
    cadences: Iterable[str] = DIGEST_CADENCES,
) -> list[Outcome]:
    """Send what is due, holding the digest lock; AlreadyRunning if another sender holds it."""
    from monitor.storage import repository_for
    from monitor.storage.lock import run_lock

    outbox = outbox_for(config, deliver)
    with run_lock(repository_for(config.database_url).engine, name=LOCK_NAME):
        return outbox.run(now, retry_only=retry_only, cadences=cadences)


def after_run(config: AppConfig, now: datetime | None = None) -> list[Outcome]:
    """The end of a crawl run: the ``immediate`` subscriptions' messages and the health alerts.

    A failure here is logged, never raised: delivery must not turn a good crawl into a failed one,
    and what was not sent stays pending for the digest job's retries.
    """
    settings = config.settings.digest
    if not any(s.cadence == "immediate" for s in settings.subscriptions) and settings.alerts is None:
        return []
    from monitor.errors import MonitorError

    try:
        return send_digests(config, now=now, cadences=("immediate",))
    except MonitorError as exc:
        log.warning("immediate delivery after the run: %s", exc)
        return []
