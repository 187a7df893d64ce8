"""The exactly-once state machine over ``Digest`` rows, for every channel and cadence.

For each subscription a row (subscription key, cadence, window, Message-ID, items) is committed
*before* anything is sent. Sending goes through a ``monitor.delivery`` channel (SMTP or Apprise);
the outbox knows none of them. Before the send the row is marked ``sending`` (committed); after it
``sent``. A temporary failure leaves it ``pending`` with ``next_attempt_at`` pushed back
(``retry_backoff_seconds``, doubled per attempt) and the next run after that retries the same row
with the same Message-ID and items; a permanent failure or ``max_attempts`` marks it ``failed``.
Windows start where the subscription's last successful message of that cadence ended, so items
flagged while a channel is down go into its next message.

A row found ``sending`` belongs to a sender that died between the send and its commit: the message
may have gone out, so it is marked ``sent`` with a note and never sent again (at most once for that
one gap; a chat service has no Message-ID to fold two copies).
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config.schema import DigestSettings, Recipient, Subscription
from monitor.delivery.channel import Channel, Outgoing
from monitor.delivery.email import EmailChannel
from monitor.delivery.formats import alert_document, document, markdown_parts
from monitor.digest.health import SourceProblem, alert_problems, source_health
from monitor.digest.message import new_message_id
from monitor.digest.render import DigestView, render
from monitor.digest.select import Entry, Selection, entries_for, select_entries
from monitor.errors import MailDeliveryError
from monitor.reports.trends import digest_trends
from monitor.storage.models import Article, Digest, DigestItem, SourceRow, TopicMatch

log = logging.getLogger(__name__)

# Characters of an error kept on the row: the reply line, not a transcript.
ERROR_CHARS = 500
# Test hook: SIGKILL this process right after a channel accepted a message, before the commit.
CRASH_AFTER_SEND_ENV = "MONITOR_TEST_CRASH_AFTER_SEND"
DIGEST_CADENCES = ("daily", "weekly")
INTERRUPTED = "the sender died between sending and recording; assumed delivered, not resent"

Deliver = Callable[[EmailMessage], None]
ChannelFactory = Callable[[Subscription], Channel]


@dataclass(frozen=True)
class Outcome:
    recipient: str
    status: str  # sent | pending | failed | skipped
    message_id: str
    item_count: int
    error: str | None = None
    message: EmailMessage | None = None
    cadence: str = "daily"


@dataclass(frozen=True)
class Plan:
    """What ``--send`` would do for one subscription now; built without writing anything."""

    recipient: Recipient
    window_start: datetime
    window_end: datetime
    selection: Selection
    pending_message_id: str | None = None
    pending_items: int = 0
    subscription: Subscription | None = None


def first_window_start(now: datetime, timezone: str, days: int) -> datetime:
    """The same wall-clock time ``days`` ago in ``timezone``: 23 or 25 hours across a DST change."""
    local = now.astimezone(ZoneInfo(timezone))
    return (local - timedelta(days=days)).astimezone(UTC)


def week_start(now: datetime, timezone: str) -> datetime:
    """Monday 00:00 of ``now``'s week in ``timezone``."""
    local = now.astimezone(ZoneInfo(timezone))
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.astimezone(UTC)


def subscription_text(recipient: Recipient, how_to_change: str = "") -> str:
    topics = ", ".join(recipient.topics) if recipient.topics else "all topics"
    countries = ", ".join(recipient.countries) if recipient.countries else "all jurisdictions"
    return f"{topics}; {countries}" + (f". {how_to_change}" if how_to_change else "")


def urgent(entry: Entry, subscription: Subscription) -> bool:
    """An immediate subscription's filter: a score above its threshold or one of its named topics."""
    if subscription.min_score is None and not subscription.urgent_topics:
        return True
    if subscription.min_score is not None and max(entry.scores, default=0.0) >= subscription.min_score:
        return True
    return bool(set(entry.topics) & set(subscription.urgent_topics))


class Outbox:
    """Builds, records and sends the messages of the configured subscriptions and health alerts."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: DigestSettings,
        *,
        deliver: Deliver | None = None,
        channels: ChannelFactory | None = None,
        topic_labels: dict[str, str] | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.deliver = deliver
        self.channels = channels
        self.topic_labels = topic_labels or {}
        self.timezone = settings.timezone

    # -- channels -----------------------------------------------------------------------
    def channel_for(self, subscription: Subscription) -> Channel:
        if self.channels is not None:
            return self.channels(subscription)
        if subscription.email is not None:
            if self.deliver is None:
                raise MailDeliveryError("no SMTP delivery configured", temporary=False)
            return EmailChannel(
                self.settings.smtp,
                self.deliver,
                to_email=subscription.email,
                to_name=subscription.label,
                unsubscribe=self.settings.unsubscribe,
                timezone=self.timezone,
            )
        from monitor.delivery.apprise_channel import AppriseChannel

        return AppriseChannel(subscription, web_url=self.settings.web_url, timeout=subscription_timeout(self.settings))

    def how_to_change(self, subscription: Subscription) -> str:
        where = f"digest.subscriptions ({subscription.key})" if subscription.url else "digest.recipients"
        contact = self.settings.unsubscribe or self.settings.smtp.sender
        return f"To change or stop this subscription, write to {contact} or edit {where} in monitor.yaml"

    # -- planning (read only) -------------------------------------------------------------
    def window_start(self, session: Session, recipient: Recipient, now: datetime, cadence: str = "daily") -> datetime:
        """Where the last successful message of this cadence ended; before any, ``first_window_days`` back."""
        key = recipient.email
        last_end = session.scalar(
            select(Digest.window_end)
            .where(Digest.recipient == key, Digest.cadence == cadence, Digest.status.in_(("sent", "skipped")))
            .order_by(Digest.window_end.desc())
            .limit(1)
        )
        if last_end is not None:
            return last_end
        # No success yet: a first message that failed still defines where this subscription's news begins.
        first_failed = session.scalar(
            select(Digest.window_start)
            .where(Digest.recipient == key, Digest.cadence == cadence, Digest.status == "failed")
            .order_by(Digest.window_start)
            .limit(1)
        )
        days = 7 if cadence == "weekly" else self.settings.first_window_days
        return first_failed or first_window_start(now, self.timezone, days)

    def _select(self, session: Session, subscription: Subscription, start: datetime, now: datetime) -> Selection:
        selection = select_entries(
            session, since=start, until=now, recipient=subscription.recipient(), max_items=self.settings.max_items
        )
        if subscription.cadence != "immediate":
            return selection
        kept = [entry for entry in selection.entries if urgent(entry, subscription)]
        ids = list(dict.fromkeys(article_id for entry in kept for article_id in entry.article_ids))
        return Selection(kept, 0, ids)

    def plan(self, now: datetime | None = None) -> list[Plan]:
        now = now or datetime.now(UTC)
        plans = []
        with self.sessions() as session:
            for subscription in self.settings.all_subscriptions():
                recipient = subscription.recipient()
                pending = self._pending(session, subscription.key, subscription.cadence)
                start = self.window_start(session, recipient, now, subscription.cadence)
                selection = self._select(session, subscription, start, now)
                plans.append(
                    Plan(
                        recipient,
                        start,
                        now,
                        selection,
                        pending[0].message_id if pending else None,
                        pending[0].item_count if pending else 0,
                        subscription,
                    )
                )
        return plans

    def view(
        self,
        recipient: Recipient,
        entries: list[Entry],
        *,
        window_start: datetime | None,
        window_end: datetime,
        truncated: int = 0,
        subscription: Subscription | None = None,
    ) -> DigestView:
        with self.sessions() as session:
            health = source_health(session, now=window_end, silent_after_days=self.settings.silent_after_days)
            trends = digest_trends(session, now=window_end, topic_labels=self.topic_labels)
        subscription = subscription or Subscription(name=recipient.email, email=recipient.email, label=recipient.name)
        title = self.settings.title
        if subscription.cadence == "weekly":
            title = f"Weekly {title[:1].lower()}{title[1:]}"
        elif subscription.cadence == "immediate":
            title = f"{title} (as it happens)"
        return DigestView(
            title=title,
            window_start=window_start,
            window_end=window_end,
            timezone=self.timezone,
            entries=entries,
            topic_labels=self.topic_labels,
            truncated=truncated,
            health=health,
            trends=trends,
            recipient_name=recipient.name or recipient.email,
            subscription=subscription_text(recipient, self.how_to_change(subscription)),
        )

    def outgoing(
        self,
        subscription: Subscription,
        entries: list[Entry],
        *,
        window_start: datetime | None,
        window_end: datetime,
        message_id: str,
        date: datetime,
        truncated: int = 0,
    ) -> Outgoing:
        """One digest in every form: the e-mail's HTML and text, chat Markdown, the JSON document."""
        recipient = subscription.recipient()
        view = self.view(
            recipient,
            entries,
            window_start=window_start,
            window_end=window_end,
            truncated=truncated,
            subscription=subscription,
        )
        rendered = render(view)
        summary, previous = "", None
        if subscription.cadence == "weekly" and window_start is not None:
            previous = self._topic_counts(window_start - (window_end - window_start), window_start)
            summary = "This week: " + (
                ", ".join(
                    f"{topic} {count} (previous week {previous.get(topic, 0)})"
                    for topic, count in view.topic_counts.items()
                )
                or "nothing new"
            )
        footer = self.how_to_change(subscription)
        head, blocks, tail = markdown_parts(view, summary=summary, footer=footer)
        from monitor.storage.queries import to_item

        with self.sessions() as session:
            ids = [entry.article_ids[0] for entry in entries]
            articles = session.scalars(select(Article).where(Article.id.in_(ids))).all() if ids else []
            items = {article.id: to_item(article) for article in articles}
        text = rendered.text if not summary else f"{summary}\n\n{rendered.text}"
        return Outgoing(
            key=subscription.key,
            subject=rendered.subject,
            text=text,
            html=rendered.html,
            markdown="\n".join([head, *blocks, tail]),
            markdown_head=head,
            markdown_items=tuple(blocks),
            markdown_tail=tail,
            document=document(
                view,
                subscription=subscription.key,
                cadence=subscription.cadence,
                message_id=message_id,
                items=items,
                previous_counts=previous,
            ),
            message_id=message_id,
            date=date,
        )

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
        """The e-mail a recipient would get (``monitor digest --out``): built, never sent."""
        subscription = Subscription(name=recipient.email, email=recipient.email, label=recipient.name)
        subscription = next((s for s in self.settings.all_subscriptions() if s.key == recipient.email), subscription)
        outgoing = self.outgoing(
            subscription,
            entries,
            window_start=window_start,
            window_end=window_end,
            message_id=message_id,
            date=date,
            truncated=truncated,
        )
        return EmailChannel(
            self.settings.smtp,
            _never,
            to_email=subscription.email or recipient.email,
            to_name=subscription.label,
            unsubscribe=self.settings.unsubscribe,
            timezone=self.timezone,
        ).build(outgoing)

    def _topic_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(
                select(TopicMatch.topic, func.count(func.distinct(Article.id)))
                .join(Article, Article.id == TopicMatch.article_id)
                .where(Article.flagged.is_(True), Article.flagged_at >= start, Article.flagged_at < end)
                .group_by(TopicMatch.topic)
            ).all()
        return {topic: int(count) for topic, count in rows}

    # -- sending ------------------------------------------------------------------------
    def run(
        self,
        now: datetime | None = None,
        *,
        retry_only: bool = False,
        cadences: Iterable[str] = DIGEST_CADENCES,
        alerts: bool = True,
    ) -> list[Outcome]:
        """Retry what is owed; then (unless ``retry_only``) make and send each due subscription's message.

        ``cadences``: which subscriptions' new messages are made (the digest job: daily and weekly;
        the end of a crawl run: immediate). Pending rows of every cadence are retried when due.
        """
        now = now or datetime.now(UTC)
        wanted = set(cadences)
        self._recover_interrupted()
        outcomes: list[Outcome] = []
        for subscription in self.settings.all_subscriptions():
            with self.sessions() as session:
                pending = self._pending(session, subscription.key, subscription.cadence)
                due_ids = [row.id for row in pending if row.next_attempt_at is None or row.next_attempt_at <= now]
            if pending:
                # A message still owed goes first; new items wait for the next one, which has them all.
                outcomes.extend(self._attempt(row_id, subscription, now) for row_id in due_ids)
                continue
            if retry_only or subscription.cadence not in wanted or not self._due(subscription, now):
                continue
            created = self._create(subscription, now)
            if created is None:
                continue
            if created.status == "pending":
                outcomes.append(self._attempt_by_message_id(created.message_id, subscription, now))
            else:
                outcomes.append(created)
        if alerts and self.settings.alerts is not None:
            outcomes.extend(self.run_alerts(now, retry_only=retry_only))
        return outcomes

    def _due(self, subscription: Subscription, now: datetime) -> bool:
        if subscription.cadence != "weekly":
            return True
        with self.sessions() as session:
            last_end = session.scalar(
                select(func.max(Digest.window_end)).where(
                    Digest.recipient == subscription.key,
                    Digest.cadence == "weekly",
                    Digest.status.in_(("sent", "skipped")),
                )
            )
        return last_end is None or last_end < week_start(now, self.timezone)

    @staticmethod
    def _pending(session: Session, key: str, cadence: str) -> list[Digest]:
        query = select(Digest).where(Digest.recipient == key, Digest.cadence == cadence, Digest.status == "pending")
        return list(session.scalars(query.order_by(Digest.created_at, Digest.id)))

    def _recover_interrupted(self) -> None:
        with self.sessions.begin() as session:
            for row in session.scalars(select(Digest).where(Digest.status == "sending")):
                log.warning("message %s to %s: %s", row.message_id, row.recipient, INTERRUPTED)
                row.status, row.last_error, row.sent_at = "sent", INTERRUPTED, row.sent_at or datetime.now(UTC)

    def _create(self, subscription: Subscription, now: datetime) -> Outcome | None:
        """Commit the row and its items; nothing is sent before this transaction ends."""
        message_id = new_message_id(self.settings.smtp.sender)
        with self.sessions.begin() as session:
            start = self.window_start(session, subscription.recipient(), now, subscription.cadence)
            if start >= now:
                return None
            selection = self._select(session, subscription, start, now)
            empty = not selection.entries
            if empty and subscription.cadence == "immediate":
                return None  # "as it happens" says nothing when nothing happened
            status = "skipped" if empty and not self.settings.send_empty else "pending"
            row = Digest(
                recipient=subscription.key,
                cadence=subscription.cadence,
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
            log.info("%s %s: nothing new since %s; skipped", subscription.cadence, subscription.key, start.isoformat())
        return Outcome(subscription.key, status, message_id, len(selection.entries), cadence=subscription.cadence)

    def _attempt_by_message_id(self, message_id: str, subscription: Subscription, now: datetime) -> Outcome:
        with self.sessions() as session:
            row_id = session.scalar(select(Digest.id).where(Digest.message_id == message_id))
        assert row_id is not None, "the row was committed just before"
        return self._attempt(row_id, subscription, now)

    def _build(self, row: Digest, subscription: Subscription, session: Session) -> Outgoing:
        if row.cadence == "alert":
            return self._alert_message(row, session)
        ids = list(session.scalars(select(DigestItem.article_id).where(DigestItem.digest_id == row.id)))
        entries = entries_for(session, ids, subscription.recipient())
        # The date is the row's creation time, so a retry carries the same Date as the first attempt.
        return self.outgoing(
            subscription,
            entries,
            window_start=row.window_start,
            window_end=row.window_end,
            message_id=row.message_id,
            date=row.created_at,
        )

    def _attempt(self, row_id: int, subscription: Subscription, now: datetime) -> Outcome:
        with self.sessions() as session:
            row = session.get(Digest, row_id)
            assert row is not None
            outgoing = self._build(row, subscription, session)
            items, cadence = row.item_count, row.cadence
        try:
            channel = self.channel_for(subscription)
            with self.sessions.begin() as session:
                row = session.get(Digest, row_id)
                assert row is not None
                row.status = "sending"
            sent = channel.send(outgoing)
        except MailDeliveryError as exc:
            return self._record_failure(row_id, subscription, exc, now)
        if os.environ.get(CRASH_AFTER_SEND_ENV):
            os.kill(os.getpid(), signal.SIGKILL)
        with self.sessions.begin() as session:
            row = session.get(Digest, row_id)
            assert row is not None
            row.status, row.sent_at, row.attempts, row.last_error = "sent", datetime.now(UTC), row.attempts + 1, None
            row.next_attempt_at = None
        log.info("%s %s sent to %s with %d items", cadence, outgoing.message_id, subscription.key, items)
        email = sent if isinstance(sent, EmailMessage) else None
        return Outcome(subscription.key, "sent", outgoing.message_id, items, message=email, cadence=cadence)

    def backoff(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failure: the base, doubled per attempt, capped."""
        seconds = self.settings.retry_backoff_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.settings.retry_backoff_max_seconds))

    def _record_failure(
        self, row_id: int, subscription: Subscription, exc: MailDeliveryError, now: datetime
    ) -> Outcome:
        with self.sessions.begin() as session:
            row = session.get(Digest, row_id)
            assert row is not None
            row.attempts += 1
            row.last_error = str(exc)[:ERROR_CHARS]
            give_up = not exc.temporary or row.attempts >= self.settings.max_attempts
            row.status = "failed" if give_up else "pending"
            row.next_attempt_at = None if give_up else now + self.backoff(row.attempts)
            status, attempts, message_id, items, cadence = (
                row.status,
                row.attempts,
                row.message_id,
                row.item_count,
                row.cadence,
            )
        if give_up:
            log.error("%s %s to %s failed after %d attempts: %s", cadence, message_id, subscription.key, attempts, exc)
        else:
            log.warning(
                "%s %s to %s stays pending (attempt %d): %s", cadence, message_id, subscription.key, attempts, exc
            )
        return Outcome(subscription.key, status, message_id, items, str(exc), cadence=cadence)

    # -- source-health alerts -----------------------------------------------------------
    def run_alerts(self, now: datetime, *, retry_only: bool = False) -> list[Outcome]:
        """One alert when a source starts failing or goes silent, one 'recovered' when it works again."""
        alerts = self.settings.alerts
        assert alerts is not None
        target = Subscription(
            name=alerts.key,
            email=alerts.email,
            url=alerts.url,
            format=alerts.format,
            max_chars=alerts.max_chars,
            label=alerts.label,
        )
        if not retry_only:
            self._record_alerts(now)
        outcomes = []
        with self.sessions() as session:
            rows = self._pending(session, alerts.key, "alert")
            due = [row.id for row in rows if row.next_attempt_at is None or row.next_attempt_at <= now]
        for row_id in due:
            outcomes.append(self._attempt(row_id, target, now))
        return outcomes

    def _record_alerts(self, now: datetime) -> None:
        alerts = self.settings.alerts
        assert alerts is not None
        with self.sessions.begin() as session:
            problems = alert_problems(session, now=now, failed_runs=alerts.failed_runs, silent_days=alerts.silent_days)
            latest: dict[str, str | None] = {}
            for source_id, state in session.execute(
                select(Digest.source_id, Digest.alert_state)
                .where(Digest.recipient == alerts.key, Digest.cadence == "alert")
                .order_by(Digest.id)
            ):
                latest[source_id] = state
            changes: list[tuple[str, str]] = []
            for source_id, problem in problems.items():
                if latest.get(source_id) in (None, "recovered"):
                    changes.append((source_id, problem.state))
            for source_id, state in latest.items():
                if state in ("failing", "silent") and source_id not in problems:
                    changes.append((source_id, "recovered"))
            for source_id, state in changes:
                session.add(
                    Digest(
                        recipient=alerts.key,
                        cadence="alert",
                        source_id=source_id,
                        alert_state=state,
                        window_start=now,
                        window_end=now,
                        message_id=new_message_id(self.settings.smtp.sender),
                        status="pending",
                        created_at=now,
                        attempts=0,
                        item_count=0,
                    )
                )
                log.info("source %s is %s: alert recorded for %s", source_id, state, alerts.key)

    def _alert_message(self, row: Digest, session: Session) -> Outgoing:
        alerts = self.settings.alerts
        assert alerts is not None
        name = session.scalar(select(SourceRow.name).where(SourceRow.id == row.source_id)) or row.source_id
        problems = alert_problems(
            session, now=row.created_at, failed_runs=alerts.failed_runs, silent_days=alerts.silent_days
        )
        problem: SourceProblem | None = problems.get(row.source_id)
        state = row.alert_state or "failing"
        if state == "recovered":
            detail = "it works again"
            subject = f"news-monitor: {name} recovered"
        else:
            detail = problem.detail if problem else state
            what = f"failed {alerts.failed_runs}+ runs in a row" if state == "failing" else "has gone silent"
            subject = f"news-monitor: {name} {what}"
        when = row.created_at.astimezone(ZoneInfo(self.timezone)).strftime("%a %d %b %Y %H:%M")
        text = f"{subject}\n\nSource {name} ({row.source_id}): {detail}.\nSince {when} ({self.timezone}).\n"
        html = (
            f"<p><strong>{_escape(subject)}</strong></p>"
            f"<p>Source {_escape(name)} ({_escape(row.source_id)}): {_escape(detail)}.</p>"
        )
        return Outgoing(
            key=alerts.key,
            subject=subject,
            text=text,
            html=html,
            markdown=f"**{subject}**\nSource {name} (`{row.source_id}`): {detail}.",
            document=alert_document(
                subscription=alerts.key,
                message_id=row.message_id,
                source=row.source_id,
                name=name,
                state=state,
                detail=detail,
                at=row.created_at,
            ),
            message_id=row.message_id,
            date=row.created_at,
            kind="alert",
        )


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def _never(_message: EmailMessage) -> None:
    raise AssertionError("a composed message is never sent from here")


def subscription_timeout(settings: DigestSettings) -> float:
    """Seconds an Apprise channel may take for one message: the SMTP command timeout, for one setting."""
    return settings.smtp.timeout
