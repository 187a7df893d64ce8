"""Exactly-once delivery against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from monitor.config.schema import DigestSettings, Recipient
from monitor.digest.outbox import Outbox, first_window_start
from monitor.digest.smtp import deliver
from monitor.storage.models import Digest
from tests.monitor.digest.digest_helpers import NOW, Corpus, MailServer, digest_settings, standard_corpus

EVERYONE = Recipient(email="analyst@example.org", name="Policy team")
CHINA_DESK = Recipient(email="china-desk@example.org", topics=["cross_border_transfers"], countries=["CN", "HK"])


def outbox(corpus: Corpus, settings: DigestSettings, password: str | None = None) -> Outbox:
    return Outbox(
        corpus.repository.sessions, settings, deliver=lambda message: deliver(message, settings.smtp, password=password)
    )


def digests(corpus: Corpus) -> list[Digest]:
    with corpus.repository.sessions() as session:
        return list(session.scalars(select(Digest).order_by(Digest.id)))


def test_delivers_multipart_digest_and_records_it(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    outcomes = outbox(corpus, digest_settings(mail_server.port, [EVERYONE])).run(NOW)

    assert [(o.status, o.item_count) for o in outcomes] == [("sent", 4)]  # the Reuters copy is folded in
    [message] = mail_server.messages()
    assert message["Message-ID"] == outcomes[0].message_id
    assert message["To"] == "Policy team <analyst@example.org>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Also reported by: Reuters" in text and "*cross-border data transfers*" in text
    assert '<mark style="' in html and "Cyberspace Administration of China" in html
    assert "failing</span>: BfDI" in html  # the footer reports the failing source
    [row] = digests(corpus)
    assert (row.status, row.attempts, row.item_count, row.window_end) == ("sent", 1, 4, NOW)


def test_no_double_send_after_rerun(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE])
    outbox(corpus, settings).run(NOW)
    again = outbox(corpus, settings).run(NOW + timedelta(minutes=1))

    assert [o.status for o in again] == ["skipped"]
    assert len(mail_server.handler.received) == 1
    # An item flagged after the first digest, even inside the lookback overlap, goes out once, next time.
    corpus.add(
        "late",
        source="edpb",
        title="EDPB guidelines on data localisation",
        text="Data localisation rules.",
        topics=[("data_localization", ["localisation"])],
        countries=["EU"],
        flagged_at=NOW - timedelta(minutes=1),
    )
    third = outbox(corpus, settings).run(NOW + timedelta(hours=24))
    assert [(o.status, o.item_count) for o in third] == [("sent", 1)]
    fourth = outbox(corpus, settings).run(NOW + timedelta(hours=48))
    assert [o.status for o in fourth] == ["skipped"]
    assert len(mail_server.handler.received) == 2


def test_temporary_failure_then_success_reuses_message_id(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE])
    mail_server.handler.script = ["451 4.3.0 Mailbox temporarily unavailable"]
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending" and "451" in (first[0].error or "")
    [row] = digests(corpus)
    assert (row.status, row.attempts) == ("pending", 1)

    retry = outbox(corpus, settings).run(NOW + timedelta(minutes=15), retry_only=True)
    assert [(o.status, o.message_id) for o in retry] == [("sent", first[0].message_id)]
    [message] = mail_server.messages()
    assert message["Message-ID"] == first[0].message_id
    assert [(d.status, d.attempts) for d in digests(corpus)] == [("sent", 2)]


def test_permanent_failure_marks_failed_and_items_go_into_next_digest(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE])
    mail_server.handler.script = ["550 5.1.1 User unknown"]
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "failed" and "550" in (first[0].error or "")

    second = outbox(corpus, settings).run(NOW + timedelta(days=1))
    assert [(o.status, o.item_count) for o in second] == [("sent", 4)]
    assert [d.status for d in digests(corpus)] == ["failed", "sent"]
    assert digests(corpus)[1].window_start == first_window_start(NOW, "Europe/Brussels", 1)


def test_connection_dropped_after_data_is_retried_with_same_message_id(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE])
    mail_server.handler.script = ["drop"]
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending"
    assert "closed the connection" in (first[0].error or "")
    second = outbox(corpus, settings).run(NOW + timedelta(minutes=15))
    assert [(o.status, o.message_id) for o in second] == [("sent", first[0].message_id)]


def test_server_down_then_back(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE])
    mail_server.stop()
    first = outbox(corpus, settings).run(NOW)
    assert first[0].status == "pending" and "ConnectionRefusedError" in (first[0].error or "")
    # Items flagged while the server is down are not lost: they wait for the next digest.
    corpus.add(
        "while-down",
        source="cnil",
        title="La CNIL sanctionne un transfert illicite",
        text="Transfert de données vers un pays tiers sans garanties.",
        topics=[("cross_border_transfers", ["pays tiers"])],
        countries=["FR"],
        flagged_at=NOW + timedelta(hours=1),
    )
    mail_server.start()
    second = outbox(corpus, settings).run(NOW + timedelta(hours=2))
    assert [(o.status, o.item_count, o.message_id) for o in second] == [("sent", 4, first[0].message_id)]
    third = outbox(corpus, settings).run(NOW + timedelta(days=1))
    assert [(o.status, o.item_count) for o in third] == [("sent", 1)]
    last = mail_server.messages()[-1]
    assert "1 new item" in last["Subject"] and "La CNIL sanctionne" in last.get_body(("plain",)).get_content()


def test_subscriptions_filter_topics_and_jurisdictions(corpus: Corpus, mail_server: MailServer) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    settings = digest_settings(mail_server.port, [EVERYONE, CHINA_DESK])
    outcomes = outbox(corpus, settings).run(NOW)
    assert [(o.recipient, o.item_count) for o in outcomes] == [
        ("analyst@example.org", 4),
        ("china-desk@example.org", 1),
    ]
    china = next(m for m in mail_server.messages() if "china-desk" in m["To"])
    text = china.get_body(("plain",)).get_content()
    assert "China eases cross-border data rules" in text
    assert "BfDI" not in text.split("Source health")[0] and "CNIL" not in text


def test_empty_digest_skipped_or_sent_as_nothing_new(corpus: Corpus, mail_server: MailServer) -> None:
    skipped = outbox(corpus, digest_settings(mail_server.port, [EVERYONE])).run(NOW)
    assert [o.status for o in skipped] == ["skipped"] and not mail_server.handler.received
    sent = outbox(corpus, digest_settings(mail_server.port, [EVERYONE], send_empty=True)).run(NOW + timedelta(days=1))
    assert [o.status for o in sent] == ["sent"]
    [message] = mail_server.messages()
    assert "nothing new" in message["Subject"]
    assert "Nothing new since the last digest." in message.get_body(("plain",)).get_content()


def test_window_follows_last_digest_across_daylight_saving_change(corpus: Corpus, mail_server: MailServer) -> None:
    # Brussels moves from CET (UTC+1) to CEST (UTC+2) at 02:00 on Sunday 31 March 2024.
    saturday_7am = datetime(2024, 3, 30, 6, 0, tzinfo=UTC)
    sunday_7am = datetime(2024, 3, 31, 5, 0, tzinfo=UTC)
    assert first_window_start(sunday_7am, "Europe/Brussels", 1) == saturday_7am  # 23 hours, not 24
    settings = digest_settings(mail_server.port, [EVERYONE])
    corpus.add(
        "sat",
        source="edpb",
        title="EDPB statement on data sovereignty",
        text=EDPB_SHORT,
        topics=[("cross_border_transfers", ["transfers"])],
        countries=["EU"],
        flagged_at=saturday_7am - timedelta(minutes=30),
    )
    outbox(corpus, settings).run(saturday_7am)
    # Flagged 06:30 local on Sunday, i.e. 23.5 hours after the Saturday digest and before Sunday's.
    corpus.add(
        "sun",
        source="cnil",
        title="CNIL : transferts vers les États-Unis",
        text=EDPB_SHORT,
        topics=[("cross_border_transfers", ["transfers"])],
        countries=["FR"],
        flagged_at=datetime(2024, 3, 31, 4, 30, tzinfo=UTC),
    )
    # Flagged just after Sunday's digest: belongs to Monday.
    corpus.add(
        "after",
        source="bfdi",
        title="BfDI zu Datentransfers",
        text=EDPB_SHORT,
        topics=[("cross_border_transfers", ["transfers"])],
        countries=["DE"],
        flagged_at=datetime(2024, 3, 31, 5, 30, tzinfo=UTC),
    )
    sunday = outbox(corpus, settings).run(sunday_7am)
    assert [(o.status, o.item_count) for o in sunday] == [("sent", 1)]
    rows = digests(corpus)
    assert rows[1].window_start == rows[0].window_end == saturday_7am
    assert rows[1].window_end - rows[1].window_start == timedelta(hours=23)
    text = mail_server.messages()[1].get_body(("plain",)).get_content()
    assert "Sat 30 Mar 2024 07:00 - Sun 31 Mar 2024 07:00 (Europe/Brussels)" in text
    assert "transferts vers les États-Unis" in text and "BfDI zu Datentransfers" not in text


EDPB_SHORT = "Statement on transfers of personal data to third countries."


def test_password_from_environment_never_logged_or_stored(
    corpus: Corpus, mail_server: MailServer, caplog: object
) -> None:
    from aiosmtpd.smtp import AuthResult

    secret = "s3cret-Pa55word"

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001 - aiosmtpd callback
        ok = auth_data.login == b"monitor" and auth_data.password == secret.encode()
        return AuthResult(success=ok, handled=False)

    mail_server.stop()
    mail_server.start(authenticator=authenticator, auth_require_tls=False)
    standard_corpus(corpus, NOW - timedelta(hours=6))
    base = digest_settings(mail_server.port, [EVERYONE])
    smtp = base.smtp.model_copy(update={"user": "monitor", "password_env": "TEST_SMTP_PASSWORD"})
    settings = base.model_copy(update={"smtp": smtp})
    import logging

    caplog.set_level(logging.DEBUG)  # type: ignore[attr-defined]
    wrong = outbox(corpus, settings, password="wrong-password").run(NOW)
    assert wrong[0].status == "failed" and "535" in (wrong[0].error or "")
    right = outbox(corpus, settings, password=secret).run(NOW + timedelta(days=1))
    assert right[0].status == "sent"
    stored = " ".join(f"{d.last_error} {d.message_id}" for d in digests(corpus))
    raw = b"".join(mail_server.handler.received).decode("utf-8", "replace")
    for place in (caplog.text, stored, raw):  # type: ignore[attr-defined]
        assert secret not in place and "wrong-password" not in place
