"""`monitor rematch`: stored articles re-matched without fetching; changes reported and stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from monitor.matching import Matcher
from monitor.rematch import rematch
from monitor.storage import repository_for
from monitor.storage.queries import ItemFilter, iter_items
from monitor.storage.records import ArticleRecord, TopicRecord
from tests.helpers import REPO_ROOT

ON_TOPIC = (
    "Die Datenschutzaufsicht hat die Übermittlung personenbezogener Daten an Drittländer durch einen Cloud-Anbieter "
    "untersagt. Der Anbieter hatte sich auf Standardvertragsklauseln berufen, ohne ergänzende Maßnahmen zu prüfen."
)
OFF_TOPIC = (
    "The club confirmed the transfer of its striker on deadline day of the summer transfer window, "
    "for a fee reported at 80 million euros."
)


def seed(url: str) -> None:
    repository = repository_for(url)
    repository.ensure_source("t", "Test source", "regulator", "DE", "de")
    # Stored under an older watchlist: the on-topic text was missed, the football story was flagged.
    repository.upsert_article(
        ArticleRecord(
            canonical_url="https://t.example/a",
            url="https://t.example/a",
            source_id="t",
            title="Aufsicht untersagt Drittlandtransfer",
            text=ON_TOPIC,
            language="de",
            content_hash="a",
        )
    )
    repository.upsert_article(
        ArticleRecord(
            canonical_url="https://t.example/b",
            url="https://t.example/b",
            source_id="t",
            title="Striker joins on deadline day",
            text=OFF_TOPIC,
            language="en",
            content_hash="b",
            flagged=True,
            reason="old rule",
            topics=[TopicRecord("cross_border_transfers", 1.0, ["transfer"])],
        )
    )


def test_rematch_flags_and_unflags(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/rematch.db"
    seed(url)
    repository = repository_for(url)
    report = rematch(repository.sessions, Matcher.from_file(REPO_ROOT / "config" / "watchlists.yaml"))
    assert report.examined == 2
    assert [title for _id, title in report.newly_flagged] == ["Aufsicht untersagt Drittlandtransfer"]
    assert [title for _id, title in report.unflagged] == ["Striker joins on deadline day"]
    with repository.sessions() as session:
        items = {a.canonical_url: a for a in iter_items(session, ItemFilter())}
        flagged = items["https://t.example/a"]
        assert flagged.flagged and flagged.flagged_at is not None and flagged.reason
        assert "cross_border_transfers" in {t.topic for t in flagged.topics}
        football = items["https://t.example/b"]
        assert not football.flagged and football.topics == [] and football.flagged_at is None
    again = rematch(repository.sessions, Matcher.from_file(REPO_ROOT / "config" / "watchlists.yaml"))
    assert not again.newly_flagged and not again.unflagged and not again.topics_changed


def test_a_flagged_article_with_other_topics_is_not_news_again(tmp_path: Path) -> None:
    """A watchlist edit that changes a flagged article's topics rewrites them, but the text is not
    news: the next digest must not carry every old article a new rule also matches."""
    url = f"sqlite:///{tmp_path}/topics.db"
    repository = repository_for(url)
    repository.ensure_source("t", "Test source", "regulator", "DE", "de")
    repository.upsert_article(
        ArticleRecord(
            canonical_url="https://t.example/a",
            url="https://t.example/a",
            source_id="t",
            title="Aufsicht untersagt Drittlandtransfer",
            text=ON_TOPIC,
            language="de",
            flagged=True,
            reason="old rule",
            topics=[TopicRecord("data_localization", 1.0, ["Datenlokalisierung"])],
        )
    )
    with repository.sessions() as session:
        (before,) = iter_items(session, ItemFilter())
    report = rematch(repository.sessions, Matcher.from_file(REPO_ROOT / "config" / "watchlists.yaml"))
    assert not report.newly_flagged and not report.unflagged
    [(_id, _title, old, new)] = report.topics_changed
    assert old == ["data_localization"] and "cross_border_transfers" in new
    with repository.sessions() as session:
        (after,) = iter_items(session, ItemFilter())
        assert sorted(t.topic for t in after.topics) == new
        assert after.flagged and after.flagged_at == before.flagged_at and after.reason != "old rule"


def test_rematch_command_reports(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    seed(url)
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(REPO_ROOT / "config"), "--db", url, "rematch"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "rematched 2 articles: 1 newly flagged, 1 no longer flagged" in result.stdout
    assert "newly flagged: Aufsicht untersagt Drittlandtransfer" in result.stdout


def test_rematch_takes_the_sources_jurisdiction_and_rewrites_what_an_item_is_about(tmp_path: Path) -> None:
    from monitor.storage.records import CountryRecord

    url = f"sqlite:///{tmp_path}/about.db"
    repository = repository_for(url)
    repository.ensure_source("meity", "MeitY", "ministry", "IN", "en")
    text = "The ministry requires that personal data of citizens be stored on servers inside the country."
    record = ArticleRecord(
        canonical_url="https://meity.example/a",
        url="https://meity.example/a",
        source_id="meity",
        title="Data localisation rules for cloud providers",
        text=text,
        language="en",
        content_hash="m",
    )
    matcher = Matcher.build(REPO_ROOT / "config" / "watchlists.yaml")
    first = matcher.match(record.title, text, "en", "IN")
    record.flagged, record.reason = first.flagged, first.reason
    record.topics = [TopicRecord(t.topic, t.score, list(t.terms)) for t in first.topics]
    # Stored by an older matcher: the same codes and topics, but not marked as the subject.
    record.countries = [CountryRecord("IN", 0, 0, False)]
    repository.upsert_article(record)
    rematch(repository.sessions, matcher)
    with repository.sessions() as session:
        (article,) = list(iter_items(session, ItemFilter()))
        assert [(c.code, c.focus, c.mentions) for c in article.countries] == [("IN", True, 0)]
