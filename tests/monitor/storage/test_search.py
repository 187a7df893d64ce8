from __future__ import annotations

import json

import pytest

from monitor.errors import UsageError
from monitor.storage.queries import ItemFilter
from monitor.storage.search import fts5_query, parse_query, search, websearch_query
from tests.monitor.storage.factories import record, repository_with_sources


@pytest.fixture
def repository(database_url: str):  # type: ignore[no-untyped-def]
    repository = repository_with_sources(database_url)
    repository.upsert_article(
        record(
            "https://dpa.example/1",
            title="Cloud sovereignty scheme adopted",
            text="The government adopted a sovereign cloud certification scheme for "
            "public bodies. Encryption keys stay with the customer.",
            topics=["cloud_sovereignty"],
        )
    )
    repository.upsert_article(
        record(
            "https://daily.example/2",
            source_id="daily",
            title="Football transfer news",
            text="The club completed the transfer of its striker before the window closed.",
        )
    )
    repository.upsert_article(
        record(
            "https://dpa.example/3",
            title="Transfers of personal data suspended",
            text="The authority suspended transfers of personal data to a cloud provider.",
        )
    )
    return repository


def test_results_are_ranked_with_marked_snippets(repository) -> None:  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        hits = list(search(session, "cloud"))
    assert [hit.article.canonical_url for hit in hits][0] == "https://dpa.example/1"  # in the title too
    assert {hit.article.canonical_url for hit in hits} == {"https://dpa.example/1", "https://dpa.example/3"}
    assert "[cloud]" in hits[0].snippet.lower()


def test_phrases_exclusions_and_filters(repository) -> None:  # type: ignore[no-untyped-def]
    with repository.sessions() as session:
        assert [h.article.canonical_url for h in search(session, '"personal data"')] == ["https://dpa.example/3"]
        assert [h.article.canonical_url for h in search(session, "transfer -striker")] == []  # no stemming
        assert {h.article.canonical_url for h in search(session, "transfers OR striker")} == {
            "https://daily.example/2",
            "https://dpa.example/3",
        }
        assert [h.article.canonical_url for h in search(session, "cloud", ItemFilter(topic="cloud_sovereignty"))] == [
            "https://dpa.example/1"
        ]
        assert list(search(session, "cloud", ItemFilter(source="daily"))) == []


def test_operators_in_user_input_are_plain_words() -> None:
    terms = parse_query('title:x AND "NEAR(" -y')
    assert fts5_query(terms) == '"title x" "AND" "NEAR" NOT "y"'
    assert websearch_query(terms) == '"title x" AND NEAR -y'
    with pytest.raises(UsageError):
        parse_query("-only -negative")


@pytest.fixture
def multilingual(database_url: str):  # type: ignore[no-untyped-def]
    repository = repository_with_sources(database_url)
    items = [
        (
            "https://dpa.example/zh",
            "国家网信办发布数据出境安全评估办法",
            "国家数据出境安全评估办法自九月起施行。",
            "zh",
        ),
        (
            "https://dpa.example/ja",
            "個人情報保護委員会が越境移転の指針を公表",
            "個人データの越境移転に関する指針。",
            "ja",
        ),
        (
            "https://dpa.example/de",
            "Datenschutzbehörde prüft Übermittlung",
            "Die Behörde prüft die Übermittlung in Drittländer.",
            "de",
        ),
        (
            "https://dpa.example/en",
            "Regulator reviews data transfers",
            "The regulator reviews transfers of data abroad.",
            "en",
        ),
    ]
    for url, title, body, language in items:
        repository.upsert_article(record(url, title=title, text=body, language=language))
    return repository


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("数据出境", {"https://dpa.example/zh"}),  # inside a run of Chinese without spaces
        ("安全评估 -网信办", set()),
        ("越境移転", {"https://dpa.example/ja"}),
        ("Übermittlung", {"https://dpa.example/de"}),
        ("data transfers", {"https://dpa.example/en"}),
        ("数据出境 -Behörde", {"https://dpa.example/zh"}),  # a CJK word with an excluded latin one
        ("Behörde 指针", set()),  # CJK and latin words together: both must occur
    ],
)
def test_chinese_japanese_german_english(multilingual, query: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    with multilingual.sessions() as session:
        hits = list(search(session, query))
    assert {hit.article.canonical_url for hit in hits} == expected
    for hit in hits:
        assert "[" in hit.snippet, hit.snippet  # the query's words are marked


def test_cli_search_finds_chinese(multilingual, database_url: str) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from monitor.cli import _register
    from monitor.cli.app import app
    from tests.helpers import CONFIG_DIR

    _register()
    result = CliRunner().invoke(
        app, ["--config", str(CONFIG_DIR), "--db", database_url, "search", "数据出境", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["canonical_url"] for line in result.stdout.splitlines()] == ["https://dpa.example/zh"]
    assert "[数据出境]" in json.loads(result.stdout.splitlines()[0])["snippet"]


def test_the_rank_window_takes_the_newest_matches_that_pass_the_filters(
    repository,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the newest RANK_WINDOW matches are ranked, but a filter applies inside the window: an
    older match that passes a facet is still found however common the word."""
    import monitor.storage.search as search_module

    monkeypatch.setattr(search_module, "RANK_WINDOW", 1)
    with repository.sessions() as session:
        assert [h.article.canonical_url for h in search(session, "cloud")] == ["https://dpa.example/3"]
        assert [h.article.canonical_url for h in search(session, "cloud", ItemFilter(topic="cloud_sovereignty"))] == [
            "https://dpa.example/1"
        ]
