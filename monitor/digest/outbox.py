"""The exactly-once state machine over ``Digest`` rows.

For each recipient: a digest row (window, Message-ID, items) is committed *before* the SMTP
conversation. A temporary failure leaves it ``pending`` and the next run retries that same row,
with the same Message-ID and the same items; a permanent failure (or too many attempts) marks it
``failed``; success marks it ``sent``, and a sent row is never picked up again. Windows start
where the recipient's last successful digest (``sent`` or ``skipped``) ended, so items flagged
while the mail server was down go into the next digest.

The one gap no protocol closes: the server accepts the message and the connection drops before
its reply arrives. The row stays pending and is resent with the same Message-ID, which lets
mail clients fold the two copies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config.schema import DigestSettings, Recipient
from monitor.digest.health import source_health
from monitor.digest.message import build_message, new_message_id
from monitor.digest.render import DigestView, render
from monitor.digest.select import Entry, Selection, entries_for, select_entries
from monitor.errors import MailDeliveryError
from monitor.storage.models import Digest, DigestItem

log = logging.getLogger(__name__)

# Characters of an SMTP error kept on the digest row: the reply line, not a transcript.
ERROR_CHARS = 500

Deliver = Callable[[EmailMessage], None]


@dataclass(frozen=True)
class Outcome:
    recipient: str
    status: str  # sent | pending | failed | skipped
    message_id: str
    item_count: int
    error: str | None = None
    message: EmailMessage | None = None


@dataclass(frozen=True)
class Plan:
    """What ``--send`` would do for one recipient now; built without writing anything."""

    recipient: Recipient
    window_start: datetime
    window_end: datetime
    selection: Selection
    pending_message_id: str | None = None
    pending_items: int = 0


def first_window_start(now: datetime, timezone: str, days: int) -> datetime:
    """The same wall-clock time ``days`` ago in ``timezone``: 23 or 25 hours across a DST change."""
    local = now.astimezone(ZoneInfo(timezone))
    return (local - timedelta(days=days)).astimezone(UTC)


def subscription_text(recipient: Recipient) -> str:
    topics = ", ".join(recipient.topics) if recipient.topics else "all topics"
    countries = ", ".join(recipient.countries) if recipient.countries else "all jurisdictions"
    return f"{topics}; {countries}"


class Outbox:
    """Builds, records and sends the digests of the configured recipients."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: DigestSettings,
        *,
        deliver: Deliver,
        topic_labels: dict[str, str] | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.deliver = deliver
        self.topic_labels = topic_labels or {}
        self.timezone = settings.timezone

    # -- planning (read only) -------------------------------------------------------------
    def window_start(self, session: Session, recipient: Recipient, now: datetime) -> datetime:
        """Where the last successful digest ended; before any success, ``first_window_days`` back."""
        last_end = session.scalar(
            select(Digest.window_end)
            .where(Digest.recipient == recipient.email, Digest.status.in_(("sent", "skipped")))
            .order_by(Digest.window_end.desc())
            .limit(1)
        )
        if last_end is not None:
            return last_end
        # No success yet: a first digest that failed still defines where this recipient's news begins.
        first_failed = session.scalar(
            select(Digest.window_start)
            .where(Digest.recipient == recipient.email, Digest.status == "failed")
            .order_by(Digest.window_start)
            .limit(1)
        )
        return first_failed or first_window_start(now, self.timezone, self.settings.first_window_days)

    def plan(self, now: datetime | None = None) -> list[Plan]:
        now = now or datetime.now(UTC)
        plans = []
        with self.sessions() as session:
            for recipient in self.settings.recipients:
                pending = self._pending(session, recipient)
                start = self.window_start(session, recipient, now)
                selection = select_entries(
                    session, since=start, until=now, recipient=recipient, max_items=self.settings.max_items
                )
                plans.append(
                    Plan(
                        recipient,
                        start,
                        now,
                        selection,
                        pending[0].message_id if pending else None,
                        pending[0].item_count if pending else 0,
                    )
                )
        return plans

    def compose(
        self,
        recipient: Recipient,
        entries: list[Entry],
        *,
        window_start: datetime | None,
        window_end: datetime,
        message_id: str,
        date: datetime,
        truncated: int = 0,
    ) -> EmailMessage:
        with self.sessions() as session:
            health = source_health(session, now=window_end, silent_after_days=self.settings.silent_after_days)
        view = DigestView(
            title=self.settings.title,
            window_start=window_start,
            window_end=window_end,
            timezone=self.timezone,
            entries=entries,
            topic_labels=self.topic_labels,
            truncated=truncated,
            health=health,
            recipient_name=recipient.name or recipient.email,
            subscription=subscription_text(recipient),
        )
        rendered = render(view)
        return build_message(
            sender=self.settings.smtp.sender,
            to_email=recipient.email,
            to_name=recipient.name,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            message_id=message_id,
            date=date,
        )

    # -- sending ------------------------------------------------------------------------
    def run(self, now: datetime | None = None, *, retry_only: bool = False) -> list[Outcome]:
        """Retry pending digests; then (unless ``retry_only``) make and send each recipient's new one."""
        now = now or datetime.now(UTC)
        outcomes: list[Outcome] = []
        for recipient in self.settings.recipients:
            with self.sessions() as session:
                pending_ids = [row.id for row in self._pending(session, recipient)]
            if pending_ids:
                # A recipient with a digest still owed gets that one first; new items wait for the next run.
                outcomes.extend(self._attempt(digest_id, recipient) for digest_id in pending_ids)
                continue
            if retry_only:
                continue
            created = self._create(recipient, now)
            if created.status == "pending":
                outcomes.append(self._attempt_by_message_id(created.message_id, recipient))
            else:
                outcomes.append(created)
        return outcomes

    @staticmethod
    def _pending(session: Session, recipient: Recipient) -> list[Digest]:
        query = select(Digest).where(Digest.recipient == recipient.email, Digest.status == "pending")
        return list(session.scalars(query.order_by(Digest.created_at, Digest.id)))

    def _create(self, recipient: Recipient, now: datetime) -> Outcome:
        """Commit the digest row and its items; nothing is sent before this transaction ends."""
        message_id = new_message_id(self.settings.smtp.sender)
        with self.sessions.begin() as session:
            start = self.window_start(session, recipient, now)
            selection = select_entries(
                session, since=start, until=now, recipient=recipient, max_items=self.settings.max_items
            )
            empty = not selection.entries
            status = "skipped" if empty and not self.settings.send_empty else "pending"
            row = Digest(
                recipient=recipient.email,
                window_start=start,
                window_end=now,
                message_id=message_id,
                status=status,
                created_at=now,
                attempts=0,
                item_count=len(selection.entries),
            )
            session.add(row)
            session.flush()
            session.add_all(DigestItem(digest_id=row.id, article_id=article_id) for article_id in selection.article_ids)
        if status == "skipped":
            log.info("digest for %s: nothing new since %s; skipped", recipient.email, start.isoformat())
        return Outcome(recipient.email, status, message_id, len(selection.entries))

    def _attempt_by_message_id(self, message_id: str, recipient: Recipient) -> Outcome:
        with self.sessions() as session:
            digest_id = session.scalar(select(Digest.id).where(Digest.message_id == message_id))
        assert digest_id is not None, "the digest row was committed just before"
        return self._attempt(digest_id, recipient)

    def _attempt(self, digest_id: int, recipient: Recipient) -> Outcome:
        with self.sessions() as session:
            row = session.get(Digest, digest_id)
            assert row is not None
            ids = list(session.scalars(select(DigestItem.article_id).where(DigestItem.digest_id == digest_id)))
            entries = entries_for(session, ids, recipient)
            message_id = row.message_id
            # The Date header is the row's creation time, so a retry carries the same Date as the first attempt.
            message = self.compose(
                recipient,
                entries,
                window_start=row.window_start,
                window_end=row.window_end,
                message_id=message_id,
                date=row.created_at,
            )
        try:
            self.deliver(message)
        except MailDeliveryError as exc:
            return self._record_failure(digest_id, recipient, message, exc)
        with self.sessions.begin() as session:
            row = session.get(Digest, digest_id)
            assert row is not None
            row.status, row.sent_at, row.attempts, row.last_error = "sent", datetime.now(UTC), row.attempts + 1, None
        log.info("digest %s sent to %s with %d items", message_id, recipient.email, len(entries))
        return Outcome(recipient.email, "sent", message_id, len(entries), message=message)

    def _record_failure(
        self, digest_id: int, recipient: Recipient, message: EmailMessage, exc: MailDeliveryError
    ) -> Outcome:
        with self.sessions.begin() as session:
            row = session.get(Digest, digest_id)
            assert row is not None
            row.attempts += 1
            row.last_error = str(exc)[:ERROR_CHARS]
            give_up = not exc.temporary or row.attempts >= self.settings.max_attempts
            row.status = "failed" if give_up else "pending"
            status, attempts, message_id, items = row.status, row.attempts, row.message_id, row.item_count
        if give_up:
            log.error("digest %s to %s failed after %d attempts: %s", message_id, recipient.email, attempts, exc)
        else:
            log.warning("digest %s to %s stays pending (attempt %d): %s", message_id, recipient.email, attempts, exc)
        return Outcome(recipient.email, status, message_id, items, str(exc), message)
