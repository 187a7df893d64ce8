from __future__ import annotations

from sqlalchemy import select

from monitor.storage.models import TITLE_MAX, URL_MAX, Article, TopicMatch
from monitor.storage.records import TopicRecord
from monitor.storage.text import clean_url
from tests.monitor.storage.factories import record, repository_with_sources


def test_nul_bytes_and_lone_surrogates_are_cleaned_the_same_on_both_backends(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    dirty = "Data\x00 transfer \ud800rules"
    repository.upsert_article(record(title=dirty, text=dirty * 3, summary=dirty, topics=[], flagged=True, reason=dirty))
    repository.upsert_article(record("https://dpa.example/news/2", topics=["transfers"], title="x"))
    with repository.sessions() as session:
        article = session.scalars(select(Article).where(Article.canonical_url == "https://dpa.example/news/1")).one()
        assert article.title == "Data transfer ?rules"
        assert "\x00" not in article.text and "\ud800" not in article.summary


def test_evidence_with_nul_bytes_is_stored(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    rec = record(flagged=True)
    rec.topics = [TopicRecord("transfers", 1.0, ["tra\x00nsfer"], [{"snippet": "a\x00b\udc80"}])]
    repository.upsert_article(rec)
    with repository.sessions() as session:
        match = session.scalars(select(TopicMatch)).one()
        assert match.terms == ["transfer"] and match.evidence == [{"snippet": "ab?"}]


def test_over_long_titles_are_truncated(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    repository.upsert_article(record(title="Données " * 400))
    with repository.sessions() as session:
        title = session.scalars(select(Article.title)).one()
    assert len(title) == TITLE_MAX and title.endswith("…")


def test_over_long_urls_are_cut_but_stay_unique(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    stem = "https://dpa.example/news/" + "数据" * 1500  # 9000 bytes in UTF-8
    first, second = stem + "?id=1", stem + "?id=2"
    for url in (first, second, first):
        repository.upsert_article(record(url))
    with repository.sessions() as session:
        urls = sorted(session.scalars(select(Article.canonical_url)))
    assert len(urls) == 2 and urls == sorted({clean_url(first), clean_url(second)})
    assert all(len(url.encode()) <= URL_MAX for url in urls)
    assert repository.is_stored(first) and repository.is_stored(second)
