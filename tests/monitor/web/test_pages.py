"""Each page of the web app on SQLite and PostgreSQL: the list, its facets, search, one item, the rest."""

from __future__ import annotations

import re

from tests.monitor.web.conftest import Browser
from tests.monitor.web.seed import Seeded


def listed(html: str) -> list[int]:
    """The item ids of the stories on a list page, in order."""
    return [int(n) for n in re.findall(r'<li class="item[^"]*" id="story-(\d+)">', html)]


def test_the_list_shows_flagged_stories_newest_first_with_copies_folded(analyst: Browser, seeded: Seeded) -> None:
    page = analyst.get("/items")
    assert page.status_code == 200
    ids = seeded.ids
    # Newest first by publication; the copy is folded under its original; the unflagged item is not listed.
    assert listed(page.text) == [ids["en"], ids["sov"], ids["de"], ids["zh"]]
    assert "Also reported by 1 other" in page.text
    assert f'href="/items/{ids["copy"]}?back=%2Fitems"' in page.text
    assert 'href="https://dpa.example/en"' in page.text  # the link to the original
    assert "0.90" in page.text  # relevance score of the best topic


def test_each_facet_narrows_the_list(analyst: Browser, seeded: Seeded) -> None:
    ids = seeded.ids
    cases = {
        "topic=data_sovereignty": [ids["sov"]],
        "topic=cross_border_transfers": [ids["en"], ids["de"], ids["zh"]],
        "country=de": [ids["de"]],
        "country=CN": [ids["zh"]],
        "source=daily": [ids["sov"]],
        "language=zh": [ids["zh"]],
        "since=2026-11-16": [ids["en"], ids["sov"]],
        "until=2026-11-15": [ids["de"], ids["zh"]],
        "since=2026-11-12&until=2026-11-18": [ids["sov"], ids["de"]],
        "topic=cross_border_transfers&country=FR": [ids["en"]],
    }
    for query, expected in cases.items():
        assert listed(analyst.get(f"/items?{query}").text) == expected, query


def test_bad_facet_values_are_said_not_ignored(analyst: Browser) -> None:
    page = analyst.get("/items?topic=nope&since=yesterday")
    assert page.status_code == 200
    assert "no topic &#39;nope&#39;" in page.text
    assert "is not a date" in page.text


def test_search_in_english_german_and_chinese(analyst: Browser, seeded: Seeded) -> None:
    ids = seeded.ids
    assert listed(analyst.get("/items", params={"q": "sovereignty"}).text) == [ids["sov"]]
    assert listed(analyst.get("/items", params={"q": '"contractual clauses"'}).text) == [ids["en"]]
    assert listed(analyst.get("/items", params={"q": "Drittländer"}).text) == [ids["de"]]
    assert listed(analyst.get("/items", params={"q": "Standardvertragsklauseln"}).text) == [ids["de"]]
    # A Chinese word inside an unspaced sentence, and one only in the title.
    assert listed(analyst.get("/items", params={"q": "数据出境"}).text) == [ids["zh"]]
    assert listed(analyst.get("/items", params={"q": "网信办"}).text) == [ids["zh"]]
    assert listed(analyst.get("/items", params={"q": "数据出境 -评估"}).text) == []
    # Search and facets together; the searched words are marked in the snippet.
    page = analyst.get("/items", params={"q": "authority", "country": "GB"})
    assert listed(page.text) == []
    page = analyst.get("/items", params={"q": "suspension"})
    assert listed(page.text) == [ids["en"]]
    assert "<mark>suspension</mark>" in page.text


def test_a_query_without_words_is_explained(analyst: Browser) -> None:
    page = analyst.get("/items", params={"q": "-football"})
    assert page.status_code == 200
    assert "has no words to look for" in page.text


def test_pages_split_the_list(make_app, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    from tests.monitor.web.conftest import TestClient

    app = make_app(page_size=2)
    with TestClient(app) as client:
        browser = Browser(client)
        browser.login("ana")
        first = browser.get("/items")
        ids = seeded.ids
        assert listed(first.text) == [ids["en"], ids["sov"]]
        assert 'href="/items?page=2"' in first.text
        second = browser.get("/items?page=2")
        assert listed(second.text) == [ids["de"], ids["zh"]]
        assert 'rel="next"' not in second.text
        assert listed(browser.get("/items?q=data&page=1").text)  # a search has pages too


def test_one_item_shows_highlighted_evidence_rules_jurisdictions_and_copies(analyst: Browser, seeded: Seeded) -> None:
    page = analyst.get(f"/items/{seeded.ids['de']}")
    assert page.status_code == 200
    html = page.text
    assert re.search(
        r'<mark id="ev-1" title="cross_border_transfers:de:6">Übermittlung personenbezogener Daten</mark>', html
    )
    assert re.search(r'<mark id="ev-2" title="cross_border_transfers:de:20">Drittländer</mark>', html)
    assert "<code>cross_border_transfers:de:6</code>" in html  # why flagged, rule by rule
    assert 'href="#ev-2"' in html
    assert "Bundesdatenschutz" in html and "2026-11-15" in html
    assert "<td><b>DE</b></td><td>about</td>" in html
    english = analyst.get(f"/items/{seeded.ids['en']}").text
    assert f'href="/items/{seeded.ids["copy"]}"' in english  # its copy
    assert "Revision 1" in english


def test_an_unknown_item_is_404(analyst: Browser) -> None:
    assert analyst.get("/items/999999").status_code == 404


def test_sources_page_shows_health_and_crawl_now_queues_a_run(analyst: Browser, app) -> None:  # type: ignore[no-untyped-def]
    page = analyst.get("/sources")
    assert page.status_code == 200
    assert "https://dpa.example/feed.xml" in page.text and "never checked" in page.text
    response = analyst.post("/sources/crawl", {"source": "bfdi"})
    assert response.status_code == 303
    assert app.state.launched == ["bfdi"]
    assert "queued+bfdi" in response.headers["location"]
    assert analyst.post("/sources/crawl", {"source": "nope"}).status_code == 400


def test_trends_count_items_per_topic_and_jurisdiction_per_week(analyst: Browser, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from monitor.web.pages import trends

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return datetime(2026, 11, 25, tzinfo=UTC)

    monkeypatch.setattr(trends, "datetime", Frozen)
    page = analyst.get("/trends?weeks=8")
    assert page.status_code == 200
    assert page.text.count("<svg viewBox") == 2
    # Cross-border transfers: en (20th) + copy (21st) in the week of 16 Nov, de (15th) in the week of 9 Nov,
    # zh (10th) in the week of 9 Nov: 4 in all.
    assert "Cross-border data transfers: 4</title>" in page.text
    assert "FR: 2</title>" in page.text and "CN: 1</title>" in page.text
    table_row = re.search(r"<tr><td>2026-11-09</td>(.*?)</tr>", page.text)
    assert table_row and "<td>2</td>" in table_row.group(1)


def test_watchlists_are_listed_read_only(analyst: Browser) -> None:
    page = analyst.get("/watchlists")
    assert page.status_code == 200
    assert "<code>cross_border_transfers:en:0</code>" in page.text
    assert "<textarea" not in page.text


def test_health_check_needs_no_session(anonymous: Browser) -> None:
    response = anonymous.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_static_assets_are_served_by_the_app(anonymous: Browser) -> None:
    response = anonymous.get("/static/style.css")
    assert response.status_code == 200 and "--mark" in response.text
    assert "cdn" not in anonymous.get("/login").text.lower()
