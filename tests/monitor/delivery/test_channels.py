"""Every channel and cadence through the outbox, against real receivers on loopback: a json://
webhook and a self-hosted ntfy (Apprise over HTTP), aiosmtpd for e-mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from monitor.config.schema import DigestSettings
from monitor.digest.outbox import Outbox
from monitor.digest.smtp import deliver, smtp_password
from monitor.storage.models import Digest
from monitor.storage.records import EndpointResult
from tests.monitor.delivery.receiver import Receiver
from tests.monitor.digest.digest_helpers import NOW, Corpus, MailServer, digest_settings, standard_corpus

SCHEMA = json.loads((Path(__file__).parents[3] / "docs" / "digest.schema.json").read_text())


def settings_with(mail_port: int, subscriptions: list[dict], **overrides: object) -> DigestSettings:
    return digest_settings(mail_port, [], subscriptions=subscriptions, **overrides)


def outbox(corpus: Corpus, settings: DigestSettings) -> Outbox:
    return Outbox(corpus.repository.sessions, settings, deliver=lambda m: deliver(m, settings.smtp))


def rows(corpus: Corpus) -> list[Digest]:
    with corpus.repository.sessions() as session:
        return list(session.scalars(select(Digest).order_by(Digest.id)))


def webhook(receiver: Receiver, **extra: object) -> dict:
    return {"name": "tickets", "url": f"json://127.0.0.1:{receiver.port}/hooks/news", **extra}


def ntfy(receiver: Receiver, **extra: object) -> dict:
    return {"name": "ops-ntfy", "url": f"ntfy://127.0.0.1:{receiver.port}/regulators", **extra}


def document(request) -> dict:  # type: ignore[no-untyped-def]
    payload = request.json()
    return json.loads(payload["message"])


def test_webhook_gets_a_json_document_that_follows_the_schema(corpus: Corpus, receiver: Receiver) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    outcomes = outbox(corpus, settings_with(1, [webhook(receiver)])).run(NOW)
    assert [(o.recipient, o.status, o.item_count) for o in outcomes] == [("tickets", "sent", 4)]
    [request] = receiver.accepted
    assert request.path == "/hooks/news"
    doc = document(request)
    jsonschema.validate(doc, SCHEMA)
    assert (doc["kind"], doc["cadence"], doc["message_id"]) == ("digest", "daily", outcomes[0].message_id)
    titles = {item["title"] for item in doc["items"]}
    assert "China eases cross-border data rules" in " ".join(titles)
    cac = next(item for item in doc["items"] if item["source"] == "cac")
    assert cac["also_reported_by"][0]["source"] == "Reuters" and cac["countries"] == ["CN"]
    assert {h["source"] for h in doc["source_health"]} == {"bfdi"}
    # An invalid document is caught by the same schema: the check can fail.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**doc, "cadence": "hourly"}, SCHEMA)


def test_immediate_sends_only_items_above_threshold_or_named_topics_as_markdown(
    corpus: Corpus, receiver: Receiver
) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))  # scores 0.9; bfdi: cloud 0.9, localization 0.8
    corpus.add(
        "weak",
        source="edpb",
        title="EDPB minutes mention transfers",
        text="Minutes that mention transfers in passing.",
        topics=[("cross_border_transfers", ["transfers"])],
        countries=["EU"],
        flagged_at=NOW - timedelta(hours=1),
        scores=[0.3],
    )
    corpus.add(
        "weak-local",
        source="cnil",
        title="CNIL note on data localization",
        text="A note on localization.",
        topics=[("data_localization", ["localization"])],
        countries=["FR"],
        flagged_at=NOW - timedelta(hours=1),
        scores=[0.2],
    )
    sub = ntfy(receiver, cadence="immediate", min_score=0.85, urgent_topics=["data_localization"])
    settings = settings_with(1, [sub])
    first = outbox(corpus, settings).run(NOW, cadences=("immediate",))
    assert [(o.status, o.cadence, o.item_count) for o in first] == [("sent", "immediate", 5)]
    [request] = receiver.accepted
    payload = request.json()
    assert payload["topic"] == "regulators" and request.headers.get("X-Markdown") == "yes"
    assert "CNIL note on data localization" in payload["message"]  # a named topic, however low its score
    assert "EDPB minutes mention transfers" not in payload["message"]  # below the threshold
    assert "(as it happens)" in payload["title"]
    # The daily job does not send an immediate subscription; the next run sends only what is new.
    assert outbox(corpus, settings).run(NOW + timedelta(minutes=5)) == []
    assert outbox(corpus, settings).run(NOW + timedelta(hours=3), cadences=("immediate",)) == []
    assert len(receiver.requests) == 1


def test_answer_500_then_200_is_retried_after_backoff_with_the_same_message(corpus: Corpus, receiver: Receiver) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    receiver.script = [500]
    settings = settings_with(1, [webhook(receiver)], retry_backoff_seconds=300)
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending" and "failure" in (first[0].error or "")
    [row] = rows(corpus)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, NOW + timedelta(seconds=300))
    # Before the backoff has passed nothing is tried, and no new message is made meanwhile.
    assert outbox(corpus, settings).run(NOW + timedelta(minutes=1)) == []
    assert len(receiver.requests) == 1
    second = outbox(corpus, settings).run(NOW + timedelta(minutes=6))
    assert [(o.status, o.message_id) for o in second] == [("sent", first[0].message_id)]
    assert [document(r)["message_id"] for r in receiver.requests] == [first[0].message_id] * 2
    assert len(receiver.accepted) == 1 and [(r.status, r.attempts) for r in rows(corpus)] == [("sent", 2)]


def test_channel_down_for_two_runs_then_back_sends_owed_message_then_items_flagged_meanwhile(
    corpus: Corpus, receiver: Receiver
) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    port = receiver.port
    receiver.stop()
    settings = settings_with(1, [webhook(receiver)], retry_backoff_seconds=60)
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending" and "Connection error" in (first[0].error or "")
    corpus.add(
        "while-down",
        source="cnil",
        title="La CNIL sanctionne un transfert illicite",
        text="Transfert de données vers un pays tiers sans garanties.",
        topics=[("cross_border_transfers", ["pays tiers"])],
        countries=["FR"],
        flagged_at=NOW + timedelta(hours=1),
    )
    second = outbox(corpus, settings).run(NOW + timedelta(hours=2))
    assert [(o.status, o.message_id) for o in second] == [("pending", first[0].message_id)]
    assert [(r.status, r.attempts) for r in rows(corpus)] == [("pending", 2)]
    back = Receiver()
    back.start(port)
    try:
        third = outbox(corpus, settings).run(NOW + timedelta(hours=4))
        assert [(o.status, o.item_count, o.message_id) for o in third] == [("sent", 4, first[0].message_id)]
        fourth = outbox(corpus, settings).run(NOW + timedelta(days=1))
        assert [(o.status, o.item_count) for o in fourth] == [("sent", 1)]
        titles = [item["title"] for item in document(back.accepted[-1])["items"]]
        assert titles == ["La CNIL sanctionne un transfert illicite"]
        assert len(back.accepted) == 2
    finally:
        back.stop()


def test_channel_that_does_not_answer_times_out_and_stays_pending(corpus: Corpus, receiver: Receiver) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    receiver.script = ["hang"]
    settings = settings_with(1, [webhook(receiver)])
    settings = settings.model_copy(update={"smtp": settings.smtp.model_copy(update={"timeout": 1.0})})
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending" and "timeout" in (first[0].error or "").lower()
    receiver.release.set()
    second = outbox(corpus, settings).run(NOW + timedelta(hours=1))
    assert [o.status for o in second] == ["sent"]


def test_chat_message_is_cut_between_items_within_the_limit_with_a_link(corpus: Corpus, receiver: Receiver) -> None:
    for index in range(60):
        corpus.add(
            f"item-{index}",
            source="edpb",
            title=f"EDPB statement number {index} on cross-border data transfers and localisation",
            text="Statement on transfers of personal data to third countries.",
            topics=[("cross_border_transfers", ["transfers"])],
            countries=["EU"],
            flagged_at=NOW - timedelta(hours=2, minutes=index),
        )
    settings = settings_with(1, [ntfy(receiver, max_chars=2000)], web_url="https://monitor.example.org/")
    [outcome] = outbox(corpus, settings).run(NOW)
    assert (outcome.status, outcome.item_count) == ("sent", 60)
    payload = receiver.accepted[0].json()
    body = payload["message"]
    assert len(body) + len(payload["title"]) <= 2000
    assert "more items, cut at" in body and "https://monitor.example.org/items" in body
    assert body.count("EDPB statement number") < 60


def test_apprise_default_limit_is_the_services_own(corpus: Corpus, receiver: Receiver) -> None:
    for index in range(200):
        corpus.add(
            f"item-{index}",
            source="edpb",
            title=f"EDPB statement number {index} " + "on cross-border data transfers " * 3,
            text="Statement on transfers of personal data to third countries.",
            topics=[("cross_border_transfers", ["transfers"])],
            countries=["EU"],
            flagged_at=NOW - timedelta(hours=2, minutes=index),
        )
    outbox(corpus, settings_with(1, [ntfy(receiver)])).run(NOW)
    payload = receiver.accepted[0].json()
    assert len(payload["message"]) + len(payload["title"]) <= 7800  # Apprise's ntfy body_maxlen
    assert "more items, cut at" in payload["message"]


def test_weekly_goes_out_on_monday_with_counts_once_a_week(corpus: Corpus, receiver: Receiver) -> None:
    monday = datetime(2024, 5, 13, 5, 0, tzinfo=UTC)  # 07:00 Brussels, a Monday
    standard_corpus(corpus, monday - timedelta(days=2))
    corpus.add(
        "last-week",
        source="cnil",
        title="Older CNIL item",
        text="Transferts de données vers un pays tiers.",
        topics=[("cross_border_transfers", ["pays tiers"])],
        countries=["FR"],
        flagged_at=monday - timedelta(days=10),
    )
    settings = settings_with(1, [webhook(receiver, cadence="weekly")])
    [outcome] = outbox(corpus, settings).run(monday)
    assert (outcome.cadence, outcome.status, outcome.item_count) == ("weekly", "sent", 4)
    doc = document(receiver.accepted[0])
    jsonschema.validate(doc, SCHEMA)
    assert doc["counts"]["topics"]["cross_border_transfers"] == 3
    assert doc["counts"]["previous_topics"] == {"cross_border_transfers": 1}
    assert doc["title"].startswith("Weekly")
    # Tuesday to Sunday: not due; the next Monday: due again.
    assert outbox(corpus, settings).run(monday + timedelta(days=1)) == []
    assert outbox(corpus, settings).run(monday + timedelta(days=6, hours=12)) == []
    assert [o.status for o in outbox(corpus, settings).run(monday + timedelta(days=7))] == ["skipped"]


def test_email_subscription_has_list_unsubscribe_and_a_footer_saying_how_to_change_it(
    corpus: Corpus, mail_server: MailServer
) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = settings_with(
        mail_server.port,
        [{"email": "lead@example.org", "label": "Lead", "cadence": "daily"}],
        unsubscribe="mailto:digest-admin@example.org",
    )
    [outcome] = outbox(corpus, settings).run(NOW)
    assert outcome.status == "sent"
    [message] = mail_server.messages()
    assert (
        message["List-Unsubscribe"].strip()
        == "<mailto:digest-admin@example.org?subject=unsubscribe%20lead%40example.org>"
    )
    text = message.get_body(("plain",)).get_content()
    assert "To change or stop this subscription, write to mailto:digest-admin@example.org" in text
    assert "in monitor.yaml" in message.get_body(("html",)).get_content()


def test_shipped_smtp_block_without_user_needs_no_password_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.config.schema import Smtp

    monkeypatch.delenv("MONITOR_SMTP_PASSWORD", raising=False)
    assert smtp_password(Smtp(user=None, password_env="MONITOR_SMTP_PASSWORD")) is None
    from monitor.errors import DigestError

    with pytest.raises(DigestError, match="MONITOR_SMTP_PASSWORD"):
        smtp_password(Smtp(user="monitor", password_env="MONITOR_SMTP_PASSWORD"))


def test_secret_placeholders_come_from_the_environment(
    corpus: Corpus, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    sub = {"name": "hook", "url": "json://127.0.0.1:${TEST_HOOK_PORT}/hooks/${TEST_HOOK_TOKEN}"}
    settings = settings_with(1, [sub])
    monkeypatch.delenv("TEST_HOOK_TOKEN", raising=False)
    monkeypatch.setenv("TEST_HOOK_PORT", str(receiver.port))
    [missing] = outbox(corpus, settings).run(NOW)
    assert missing.status == "failed" and "${TEST_HOOK_TOKEN}, which is not set" in (missing.error or "")
    monkeypatch.setenv("TEST_HOOK_TOKEN", "t0ken-123")
    [sent] = outbox(corpus, settings).run(NOW + timedelta(days=1))
    assert sent.status == "sent" and receiver.accepted[0].path == "/hooks/t0ken-123"
    assert all("t0ken-123" not in (r.last_error or "") for r in rows(corpus))


def test_a_password_written_into_the_url_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match=r"\$\{VARIABLE\}"):
        settings_with(1, [{"name": "m", "url": "mmost://bot:hunter2@chat.example.org/token"}])


def test_source_health_alert_once_and_recovered_once(corpus: Corpus, receiver: Receiver) -> None:
    alerts = {"url": f"json://127.0.0.1:{receiver.port}/ops", "failed_runs": 3, "silent_days": 14}
    settings = settings_with(1, [], alerts=alerts)
    feed = "https://bfdi.example.org/feed"

    def check(status: int) -> None:
        error = "Service Unavailable" if status >= 500 else None
        corpus.repository.record_endpoint(
            EndpointResult("bfdi", feed, "feed", status, error_class="http_5xx" if error else None, error=error)
        )

    for run in range(2):
        check(503)
        assert outbox(corpus, settings).run(NOW + timedelta(hours=run)) == []  # 1, 2 failed runs: no alert yet
    check(503)
    [alert] = outbox(corpus, settings).run(NOW + timedelta(hours=3))
    assert alert.status == "sent"
    check(503)
    assert outbox(corpus, settings).run(NOW + timedelta(hours=4)) == []  # still failing: no second alert
    check(200)
    [recovered] = outbox(corpus, settings).run(NOW + timedelta(hours=5))
    assert recovered.status == "sent"
    assert outbox(corpus, settings).run(NOW + timedelta(hours=6)) == []
    docs = [document(r) for r in receiver.accepted]
    for doc in docs:
        jsonschema.validate(doc, SCHEMA)
    assert [(d["source"], d["state"]) for d in docs] == [("bfdi", "failing"), ("bfdi", "recovered")]
    assert "4 failed checks" not in docs[0]["detail"] and "3 failed checks" in docs[0]["detail"]
