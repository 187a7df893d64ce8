from __future__ import annotations

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
