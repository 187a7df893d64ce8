"""JSON news APIs read through configured JMESPath expressions: the Federal Register's and the
Government of Canada's answer shapes, and what a broken answer is reported as."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from monitor.config.schema import JsonApi, Source
from spiders.json_api import NotAnApiAnswer, parse_json_api

FEDERAL_REGISTER = JsonApi(
    url="https://www.federalregister.gov/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau&order=newest",
    items="results",
    link="html_url",
    title="title",
    date="publication_date",
    summary="abstract",
    next="next_page_url",
)
CANADA_NEWS = JsonApi(
    url="https://api.io.canada.ca/io-server/gc/news/en/v2?dept=departmentofindustry&sort=publishedDate&orderBy=desc&pick=50&format=json",
    items="feed.entry",
    link="link",
    title="title",
    date="publishedDate",
    summary="teaser",
)


def federal_register_answer(next_page: str | None) -> bytes:
    return json.dumps(
        {
            "count": 2987,
            "description": "Documents from Industry and Security Bureau",
            "total_pages": 150,
            "next_page_url": next_page,
            "results": [
                {
                    "title": "Revisions to the Export Administration Regulations: Data Center Validated End User",
                    "type": "Rule",
                    "abstract": "BIS amends the EAR to ...",
                    "document_number": "2026-21874",
                    "html_url": "https://www.federalregister.gov/documents/2026/11/27/2026-21874/revisions-to-the-ear",
                    "pdf_url": "https://www.govinfo.gov/content/pkg/FR-2026-11-27/pdf/2026-21874.pdf",
                    "publication_date": "2026-11-27",
                    "agencies": [{"name": "Industry and Security Bureau", "slug": "industry-and-security-bureau"}],
                },
                {
                    "title": "Order Denying Export Privileges",
                    "type": "Notice",
                    "abstract": None,
                    "document_number": "2026-21790",
                    "html_url": "https://www.federalregister.gov/documents/2026/11/26/2026-21790/order-denying",
                    "publication_date": "2026-11-26",
                },
                {"title": "An item without a link is skipped", "publication_date": "2026-11-25"},
            ],
        }
    ).encode()


def test_federal_register_answer() -> None:
    page = parse_json_api(
        federal_register_answer("https://www.federalregister.gov/api/v1/documents.json?page=2"),
        FEDERAL_REGISTER,
        "America/New_York",
    )
    assert page.items == 3 and len(page.entries) == 2
    first = page.entries[0]
    assert first.url.endswith("/2026-21874/revisions-to-the-ear")
    assert first.title.startswith("Revisions to the Export Administration Regulations")
    assert first.summary == "BIS amends the EAR to ..."
    # A date alone is that day in the source's timezone (midnight in Washington is 05:00 UTC).
    assert first.published == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert page.entries[1].summary == ""  # "abstract": null
    assert page.next_url == "https://www.federalregister.gov/api/v1/documents.json?page=2"


def test_last_page_has_no_next_url() -> None:
    assert parse_json_api(federal_register_answer(None), FEDERAL_REGISTER).next_url is None


def test_canada_news_answer() -> None:
    body = json.dumps(
        {
            "feed": {
                "entry": [
                    {
                        "title": "Minister announces consultations on cross-border data flows",
                        "link": "https://www.canada.ca/en/innovation-science-economic-development/news/2026/11/consultations.html",
                        "publishedDate": "2026-11-28T10:30:00-05:00",
                        "teaser": "The Government of Canada is launching consultations ...",
                    }
                ]
            }
        }
    ).encode()
    page = parse_json_api(body, CANADA_NEWS)
    assert [e.title for e in page.entries] == ["Minister announces consultations on cross-border data flows"]
    assert page.entries[0].published == datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
    assert page.entries[0].summary.startswith("The Government of Canada")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"<html><body>Service Unavailable</body></html>", "not JSON"),
        (b'{"errors": {"agencies": "invalid value"}}', "no 'results' in the answer"),
        (b'{"results": {"title": "x"}}', "is a dict, not a list"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),  # nested past the parser's recursion limit
    ],
)
def test_broken_answers_are_named(body: bytes, reason: str) -> None:
    with pytest.raises(NotAnApiAnswer, match=reason):
        parse_json_api(body, FEDERAL_REGISTER)


def test_bad_paths_are_config_errors() -> None:
    with pytest.raises(ValidationError, match="bad JMESPath expression"):
        JsonApi(url="https://api.example.gov/news.json", items="results[?")
    with pytest.raises(ValidationError, match="next or page_param"):
        JsonApi(url="https://api.example.gov/news.json", items="results", next="next", page_param="page")


def test_a_source_with_only_a_json_api_is_complete() -> None:
    source = Source(id="commerce", name="Commerce", kind="executive", jurisdiction="US", json_apis=[FEDERAL_REGISTER])
    assert source.json_apis[0].max_pages == 3
