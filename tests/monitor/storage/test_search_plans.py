"""SQLite's two ways of filling the rank window find the same hits: FTS5 walking the matches and
testing each article row, or the ids that pass the filters computed first (``_from_the_filters``).

Every case is also checked against the window computed here: the newest ``RANK_WINDOW`` matches
of the query that pass the filters. On PostgreSQL there is one plan; the same window is checked.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

import monitor.storage.search as search_module
from monitor.storage.feedback import NOT_RELEVANT, judge
from monitor.storage.models import Article
from monitor.storage.queries import ItemFilter, item_query
from monitor.storage.records import CountryRecord
from monitor.storage.search import search_in
from monitor.web.pages.items import Filters, list_query
from tests.monitor.storage.factories import WHEN, record, repository_with_sources

COUNT = 80
WINDOW = 5
CJK_PHRASE = "国家数据出境安全评估办法"
SOURCES = ("dpa", "daily", "wire")


def _url(i: int) -> str:
    return f"https://{SOURCES[i % 3]}.example/{i}"


def _article(i: int) -> tuple[str, str]:
    words = [f"item{i}", "report"]
    if i % 10 != 9:
        words += ["data"] * (1 + i % 4)  # bm25 differs from row to row
    if i % 7 == 0:
        words.append("rare")
    if i % 5 == 0:
        words.append(CJK_PHRASE)
    return f"Report {i}" + (" data" if i % 4 == 0 else ""), " ".join(words) + "."


def _corpus(url: str):  # type: ignore[no-untyped-def]
    """80 articles, newest last: a quarter unflagged, two topics, DE or FR, three sources, de/en,
    a copy of a flagged original (folded away on the web), one judged not relevant."""
    repository = repository_with_sources(url)
    for i in range(COUNT):
        title, body = _article(i)
        fields: dict[str, Any] = {
            "source_id": SOURCES[i % 3],
            "title": title,
            "text": body,
            "published_at": WHEN + timedelta(hours=i),
            "fetched_at": WHEN + timedelta(hours=i),
            "language": "de" if i % 3 == 0 else "en",
            "topics": [] if i % 4 == 3 else ["cross_border_transfers" if i % 6 == 0 else "data_localization"],
            "countries": [CountryRecord("DE" if i % 8 == 0 else "FR", 0, 2, True)],
        }
        if i == 40:
            fields["duplicate_of"] = _url(0)  # a copy of a flagged original
        if i == 41:
            fields["duplicate_of"] = _url(3)  # a copy of an unflagged one: listed
        repository.upsert_article(record(_url(i), **fields))
    with repository.sessions.begin() as session:
        judge(session, session.scalar(select(Article.id).where(Article.canonical_url == _url(10))), NOT_RELEVANT, "ana")
    return repository


@pytest.fixture
def corpus(database_url: str):  # type: ignore[no-untyped-def]
    return _corpus(database_url)


def _matches(article: Article, query: str) -> bool:
    """The query over this corpus' words: all words, ``-word`` excluded, ``a OR b``; CJK as substrings."""
    found = set(re.findall(r"\w+", f"{article.title} {article.text}".lower()))
    whole = f"{article.title} {article.text}"

    def has(word: str) -> bool:
        return word in whole if search_module.CJK.search(word) else word in found

    groups = [group.split() for group in query.split(" OR ")]
    if len(groups) > 1:
        return any(all(has(word) for word in group) for group in groups)
    return all(not has(word[1:]) if word.startswith("-") else has(word) for word in query.split())


def _window(session, base, query: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The newest WINDOW matches of ``query`` that pass ``base``'s filters."""
    passing = select(Article).where(base.whereclause) if base.whereclause is not None else select(Article)
    found = sorted((a.id for a in session.scalars(passing) if _matches(a, query)), reverse=True)
    return set(found[:WINDOW])


def _ranked(session, base, query: str) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    return [(hit.article.id, hit.rank) for hit in search_in(session, base, query, COUNT, snippets=False).hits]


CLI_FILTERS = [
    ItemFilter(),
    ItemFilter(flagged=True),
    ItemFilter(topic="cross_border_transfers"),
    ItemFilter(country="DE"),
    ItemFilter(source="daily"),
    ItemFilter(since=WHEN + timedelta(hours=50)),
    ItemFilter(flagged=True, topic="cross_border_transfers", country="DE"),
]
WEB_FILTERS = [
    Filters(),
    Filters(topic="cross_border_transfers"),
    Filters(topic="data_localization", country="FR"),
    Filters(country="DE"),
    Filters(source="wire"),
    Filters(language="de"),
    Filters(since=date(2026, 11, 3), until=date(2026, 11, 4)),
    Filters(hidden=True),
    Filters(topic="cross_border_transfers", country="DE", language="de"),
]
QUERIES = ["data", "rare", "data rare", "data -rare", "rare OR item7", f"data {CJK_PHRASE}", f"data -{CJK_PHRASE}"]


def _bases(dialect: str) -> list[tuple[str, Any]]:
    return [(f"cli {spec}", item_query(spec).order_by(None)) for spec in CLI_FILTERS] + [
        (f"web {filters}", list_query(filters, dialect)) for filters in WEB_FILTERS
    ]


def test_both_plans_rank_the_same_window_for_every_filter_the_cli_and_the_web_offer(
    corpus,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", WINDOW)
    with corpus.sessions() as session:
        for name, base in _bases(session.get_bind().dialect.name):
            for query in QUERIES:
                monkeypatch.setattr(search_module, "FTS_WALK", 10**9)  # FTS5 walks, rows tested one by one
                walked = _ranked(session, base, query)
                monkeypatch.setattr(search_module, "FTS_WALK", 0)  # the passing ids first, wherever filtered
                from_filters = _ranked(session, base, query)
                assert from_filters == walked, (name, query)
                assert {article_id for article_id, _ in walked} == _window(session, base, query), (name, query)
                assert walked, (name, query)  # every case finds something: the comparison is not vacuous


def test_the_copy_test_of_each_dialect_folds_the_same_copies(corpus) -> None:  # type: ignore[no-untyped-def]
    with corpus.sessions() as session:
        listed = {
            dialect: set(session.scalars(select(Article.id).where(list_query(Filters(), dialect).whereclause)))
            for dialect in ("sqlite", "postgresql")
        }
        copies = {
            a.id: a.canonical_url for a in session.scalars(select(Article).where(Article.duplicate_of.is_not(None)))
        }
    assert listed["sqlite"] == listed["postgresql"]
    assert sorted(url for article_id, url in copies.items() if article_id in listed["sqlite"]) == [_url(41)]


def test_the_plan_switches_on_the_share_of_the_newest_matches_that_pass(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At this corpus' scale (thresholds scaled down with it): a common word under the web's usual
    filters is walked, the same word under a rare facet is found from the facet's ids, a rare word
    is walked whole; each finds the window."""
    corpus = _corpus(sqlite_url)  # the choice is SQLite's
    monkeypatch.setattr(search_module, "RANK_WINDOW", WINDOW)
    monkeypatch.setattr(search_module, "SAMPLE", 10)
    monkeypatch.setattr(search_module, "FTS_WALK", 20)
    decided: list[bool] = []
    decide = search_module._from_the_filters

    def spy(*args: Any) -> bool:
        decided.append(decide(*args))
        return decided[-1]

    monkeypatch.setattr(search_module, "_from_the_filters", spy)
    cases = [
        ("data", Filters(), False),  # 72 matches, 7 of the newest 10 pass: about 7 walked per 5 found
        ("data", Filters(topic="cross_border_transfers", country="DE"), True),  # 1 of the newest 10 passes
        ("rare", Filters(topic="cross_border_transfers", country="DE"), False),  # 12 matches: walked whole
    ]
    with corpus.sessions() as session:
        for query, filters, expected in cases:
            base = list_query(filters, "sqlite")
            decided.clear()
            found = _ranked(session, base, query)
            assert decided == [expected], (query, filters)
            assert {article_id for article_id, _ in found} == _window(session, base, query), (query, filters)
            assert found
