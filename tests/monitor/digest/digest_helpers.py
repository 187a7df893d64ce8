"""Digest test data: realistic multilingual flagged articles written through the real repository, and a
scriptable SMTP server on loopback."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from monitor.config.schema import DigestSettings, Recipient, Smtp
from monitor.storage import Repository
from monitor.storage.models import Article
from monitor.storage.records import ArticleRecord, CountryRecord, EndpointResult, TopicRecord

NOW = datetime(2024, 5, 14, 5, 0, tzinfo=UTC)  # 07:00 in Brussels (CEST)


def span(text: str, term: str, field_name: str = "text", rule: str = "r1") -> dict[str, object]:
    start = text.index(term)
    return {"rule": rule, "term": term, "field": field_name, "start": start, "end": start + len(term)}


@dataclass
class Corpus:
    repository: Repository
    url: str
    ids: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        key: str,
        *,
        source: str,
        title: str,
        text: str,
        topics: list[tuple[str, list[str]]],
        countries: list[str],
        flagged_at: datetime | None,
        published_at: datetime | None = None,
        duplicate_of: str | None = None,
        reason: str = "",
        url: str | None = None,
        about: list[str] | None = None,
        scores: list[float] | None = None,
    ) -> int:
        """``about``: the codes the item is about (default: the first of ``countries``); ``scores``: of ``topics``."""
        about = countries[:1] if about is None else about
        scores = scores or [0.9 - i * 0.1 for i in range(len(topics))]
        canonical = f"https://{source}.example.org/news/{key}"
        record = ArticleRecord(
            canonical_url=canonical,
            url=url or canonical,
            source_id=source,
            title=title,
            text=text,
            published_at=published_at or (flagged_at - timedelta(hours=2) if flagged_at else None),
            language="en",
            flagged=flagged_at is not None,
            reason=reason or (f"{topics[0][0]}: {', '.join(topics[0][1])}" if topics else ""),
            duplicate_of=duplicate_of,
            topics=[
                TopicRecord(t, score, terms, [span(text, term) for term in terms if term in text])
                for score, (t, terms) in zip(scores, topics, strict=True)
            ],
            countries=[CountryRecord(code, rank, 1, code in about) for rank, code in enumerate(countries)],
        )
        self.repository.upsert_article(record)
        with self.repository.sessions.begin() as session:
            article = session.query(Article).filter_by(canonical_url=canonical).one()
            session.execute(update(Article).where(Article.id == article.id).values(flagged_at=flagged_at))
            self.ids[key] = article.id
        return self.ids[key]

    def canonical(self, key: str, source: str) -> str:
        return f"https://{source}.example.org/news/{key}"


SOURCES = {
    "cnil": ("CNIL", "regulator", "FR", "fr"),
    "bfdi": ("BfDI", "regulator", "DE", "de"),
    "cac": ("Cyberspace Administration of China", "regulator", "CN", "zh"),
    "reuters": ("Reuters", "press", "INTL", "en"),
    "euractiv": ("Euractiv", "press", "EU", "en"),
    "edpb": ("EDPB", "regulator", "EU", "en"),
}


CAC_TEXT = (
    "国家互联网信息办公室发布《促进和规范数据跨境流动规定》。 The Cyberspace Administration of China "
    "relaxed the rules on cross-border data transfers: exports of personal information below 100,000 people "
    "no longer need a security assessment, and free trade zones may publish negative lists."
)
CNIL_TEXT = (
    "La CNIL a publié ses recommandations sur les transferts de données hors de l'Union européenne. "
    "Les responsables de traitement doivent réaliser une analyse d'impact des transferts (AIPD) avant "
    "tout transfert vers un pays tiers sans décision d'adéquation."
)
BFDI_TEXT = (
    "Der Bundesbeauftragte für den Datenschutz fordert eine souveräne Cloud für die Bundesverwaltung. "
    "Datenlokalisierung allein reiche nicht; entscheidend sei die Kontrolle über die Schlüssel."
)
EDPB_TEXT = (
    "The EDPB adopted its opinion on the EU-US Data Privacy Framework review. The Board welcomes the "
    "redress mechanism but asks the Commission to monitor onward transfers closely."
)


def standard_corpus(corpus: Corpus, flagged_at: datetime) -> Corpus:
    """Five flagged items over four topics and five jurisdictions, one syndicated copy, one unflagged."""
    corpus.add(
        "cac-rules",
        source="cac",
        title="促进和规范数据跨境流动规定 / China eases cross-border data rules",
        text=CAC_TEXT,
        topics=[("cross_border_transfers", ["cross-border data transfers", "数据跨境"])],
        countries=["CN"],
        flagged_at=flagged_at,
    )
    corpus.add(
        "cac-rules-reuters",
        source="reuters",
        title="China relaxes cross-border data transfer rules",
        text=CAC_TEXT,
        topics=[("cross_border_transfers", ["cross-border data transfers"])],
        countries=["CN"],
        flagged_at=flagged_at + timedelta(minutes=5),
        duplicate_of=corpus.canonical("cac-rules", "cac"),
    )
    corpus.add(
        "cnil-transferts",
        source="cnil",
        title="Transferts de données hors UE : la CNIL publie son guide",
        text=CNIL_TEXT,
        topics=[("cross_border_transfers", ["transferts de données", "pays tiers"])],
        countries=["FR", "EU"],
        flagged_at=flagged_at + timedelta(minutes=10),
    )
    corpus.add(
        "bfdi-cloud",
        source="bfdi",
        title="BfDI fordert souveräne Cloud für den Bund",
        text=BFDI_TEXT,
        topics=[("cloud_sovereignty", ["souveräne Cloud"]), ("data_localization", ["Datenlokalisierung"])],
        countries=["DE"],
        flagged_at=flagged_at + timedelta(minutes=20),
    )
    corpus.add(
        "edpb-dpf",
        source="edpb",
        title="EDPB opinion on the EU-US Data Privacy Framework review",
        text=EDPB_TEXT,
        topics=[("cross_border_transfers", ["Data Privacy Framework", "onward transfers"])],
        countries=["EU", "US"],
        flagged_at=flagged_at + timedelta(minutes=30),
    )
    corpus.add(
        "euractiv-ai",
        source="euractiv",
        title="Parliament committee votes on AI liability",
        text="Nothing about data here.",
        topics=[],
        countries=["EU"],
        flagged_at=None,
    )
    corpus.repository.record_endpoint(
        EndpointResult(
            "bfdi", "https://bfdi.example.org/feed", "feed", 503, error_class="http_5xx", error="Service Unavailable"
        )
    )
    corpus.repository.record_endpoint(
        EndpointResult("cnil", "https://cnil.example.org/rss", "feed", 200, newest_item_at=flagged_at)
    )
    return corpus


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ScriptedHandler:
    """An aiosmtpd handler that answers DATA as scripted: 'ok', a reply line such as '451 ...', or 'drop'."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.received: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            action = self.script.pop(0) if self.script else "ok"
        if action == "drop":
            # The server took the whole message and then the connection died before its reply.
            server.transport.close()
            return "250 OK"
        if action != "ok":
            return action
        self.received.append(envelope.content)
        return "250 OK"


@dataclass
class MailServer:
    host: str
    port: int
    handler: ScriptedHandler
    controller: object | None = None

    def start(self, **kwargs: object) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname=self.host, port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list[object]:
        from email import message_from_bytes, policy

        return [message_from_bytes(raw, policy=policy.default) for raw in self.handler.received]


def digest_settings(port: int, recipients: list[Recipient], **overrides: object) -> DigestSettings:
    smtp = Smtp(
        host="127.0.0.1",
        port=port,
        security="none",
        # Generous: the test servers answer at once, and a loaded machine must not turn a slow
        # answer into a "temporary failure" that a test did not ask for.
        timeout=30,
        connect_timeout=15,
        sender="news-monitor <monitor@example.org>",
    )
    values: dict[str, object] = {
        "recipients": recipients,
        "smtp": smtp,
        "schedule": {"cron": "0 7 * * *", "timezone": "Europe/Brussels"},
    }
    values.update(overrides)
    return DigestSettings.model_validate(values)
