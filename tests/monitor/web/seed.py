"""A small, hand-counted database for the web app's tests: five flagged stories, one copy, one unflagged.

Every evidence span is computed from the text it points into, as the matcher stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.storage.records import ArticleRecord, CountryRecord, TopicRecord
from tests.helpers.config import write_config

SOURCES: list[dict[str, Any]] = [
    {"id": "dpa", "name": "Data Protection Authority", "kind": "regulator", "jurisdiction": "FR",
     "feeds": ["https://dpa.example/feed.xml"]},
    {"id": "daily", "name": "The Daily", "kind": "press", "jurisdiction": "GB", "feeds": ["https://daily.example/rss"]},
    {"id": "bfdi", "name": "Bundesdatenschutz", "kind": "regulator", "jurisdiction": "DE", "language": "de",
     "feeds": ["https://bfdi.example/feed"]},
    {"id": "cac", "name": "Cyberspace Administration", "kind": "regulator", "jurisdiction": "CN", "language": "zh",
     "feeds": ["https://cac.example/rss"]},
]  # fmt: skip

PASSWORD = "correct horse battery staple"


def when(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 0, tzinfo=UTC)


def topic(name: str, score: float, text: str, *hits: tuple[str, str], field: str = "text") -> TopicRecord:
    """A topic that fired with one evidence span per (rule, term): the term's first place in ``text``."""
    evidence = []
    for rule, term in hits:
        start = text.index(term)
        evidence.append({"rule": rule, "term": term, "field": field, "start": start, "end": start + len(term)})
    return TopicRecord(name, score, [term for _rule, term in hits], evidence)


@dataclass(frozen=True)
class Seeded:
    ids: dict[str, int]
    config_dir: Path


EN_TEXT = (
    "The authority ordered the suspension of transfers of personal data to a third country. "
    "Standard contractual clauses did not protect the data."
)
EN2_TEXT = "The government adopted a data sovereignty strategy for public bodies and their cloud contracts."
DE_TEXT = (
    "Die Datenschutzaufsicht hat die Übermittlung personenbezogener Daten an Drittländer untersagt. "
    "Der Anbieter berief sich auf Standardvertragsklauseln."
)
ZH_TEXT = "国家互联网信息办公室公布《数据出境安全评估办法》，自9月1日起施行，规范数据出境活动。"


def articles() -> dict[str, ArticleRecord]:
    def record(key: str, source: str, title: str, text: str, day: int, language: str, **fields: Any) -> ArticleRecord:
        url = f"https://{source}.example/{key}"
        values: dict[str, Any] = {
            "canonical_url": url,
            "url": url,
            "source_id": source,
            "title": title,
            "text": text,
            "published_at": when(day),
            "fetched_at": when(day),
            "language": language,
            "content_hash": key,
        }
        values.update(fields)
        values["flagged"] = bool(values.get("topics"))
        return ArticleRecord(**values)

    return {
        "en": record(
            "en", "dpa", "Authority suspends transfers to a third country", EN_TEXT, 20, "en",
            topics=[
                topic("cross_border_transfers", 0.9, EN_TEXT,
                      ("cross_border_transfers:en:5", "transfers of personal data")),
                topic("standard_contractual_clauses", 0.5, EN_TEXT,
                      ("standard_contractual_clauses:en:0", "Standard contractual clauses")),
            ],
            countries=[CountryRecord("FR", 0, 0, True)],
            reason='cross_border_transfers: "transfers of personal data"',
        ),
        "copy": record(
            "copy", "daily", "Authority suspends transfers (wire copy)", EN_TEXT, 21, "en",
            duplicate_of="https://dpa.example/en",
            topics=[topic("cross_border_transfers", 0.85, EN_TEXT,
                          ("cross_border_transfers:en:5", "transfers of personal data"))],
            countries=[CountryRecord("FR", 0, 1, True)],
        ),
        "sov": record(
            "sov", "daily", "Government adopts a data sovereignty strategy", EN2_TEXT, 18, "en",
            topics=[topic("data_sovereignty", 0.7, EN2_TEXT, ("data_sovereignty:en:0", "data sovereignty"))],
            countries=[CountryRecord("GB", 0, 0, True)],
        ),
        "de": record(
            "de", "bfdi", "Aufsicht untersagt Drittlandtransfer", DE_TEXT, 15, "de",
            topics=[
                topic("cross_border_transfers", 0.8, DE_TEXT,
                      ("cross_border_transfers:de:6", "Übermittlung personenbezogener Daten"),
                      ("cross_border_transfers:de:20", "Drittländer")),
            ],
            countries=[CountryRecord("DE", 0, 0, True)],
        ),
        "zh": record(
            "zh", "cac", "国家网信办发布数据出境安全评估办法", ZH_TEXT, 10, "zh",
            topics=[topic("cross_border_transfers", 0.85, ZH_TEXT, ("cross_border_transfers:zh:0", "数据出境"))],
            countries=[CountryRecord("CN", 0, 0, True)],
        ),
        "quiet": record("quiet", "dpa", "Annual report published", "The authority published its annual report.", 19,
                        "en"),
    }  # fmt: skip


def seed(database_url: str, directory: Path) -> Seeded:
    """The articles above, an analyst ``ana`` and a viewer ``vic``, and a config directory for them."""
    from sqlalchemy import select

    from monitor.storage import repository_for
    from monitor.storage.models import Article
    from monitor.storage.users import add_user

    repository = repository_for(database_url)
    for source in SOURCES:
        repository.ensure_source(source["id"], source["name"], source["kind"], source["jurisdiction"], None)
    records = articles()
    for record in records.values():
        repository.upsert_article(record)
    with repository.sessions.begin() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        add_user(session, "vic", PASSWORD, "viewer")
        urls = {key: record.canonical_url for key, record in records.items()}
        ids = dict(session.execute(select(Article.canonical_url, Article.id)).all())
    config_dir = write_config(directory, SOURCES)
    return Seeded({key: ids[url] for key, url in urls.items()}, config_dir)
