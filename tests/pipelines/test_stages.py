"""Each stage through Scrapy's real factory, on realistic documents."""

from __future__ import annotations

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from sqlalchemy import select

from monitor.storage import repository_for
from monitor.storage.models import Article
from pipelines.extract import ExtractStage
from pipelines.match import MatchStage
from pipelines.normalize import NormalizeUrlStage
from pipelines.skip_stored import SkipStoredStage
from pipelines.store import StoreStage
from spiders.database import crawl_repository
from spiders.items import DocumentItem
from tests.helpers import FIXTURES_DIR

PAGES = FIXTURES_DIR / "pages"


def document(url: str = "https://edb.example/news/dpf_en?utm_source=rss", body: bytes | None = None) -> DocumentItem:
    return DocumentItem(
        url=url,
        source_id="edb",
        body=body if body is not None else (PAGES / "edpb_statement.html").read_bytes(),
        headers={"content-type": "text/html; charset=utf-8"},
        source_language="en",
        source_timezone="Europe/Brussels",
    )


def run_stages(crawler: Crawler, item: DocumentItem) -> DocumentItem:
    for stage_cls in (NormalizeUrlStage, SkipStoredStage, ExtractStage, MatchStage, StoreStage):
        item = build_from_crawler(stage_cls, crawler).process_item(item)
    return item


def test_whole_chain_flags_and_stores(crawler: Crawler) -> None:
    repository_for(crawler.settings["MONITOR_DB_URL"]).ensure_source("edb", "European Data Board", "regulator", "EU")
    item = run_stages(crawler, document())
    assert item.canonical_url == "https://edb.example/news/dpf_en"
    assert item.flagged and item.reason
    topics = {t.topic for t in item.topics}
    assert {"adequacy_decisions", "government_access"} & topics, topics
    codes = [c.code for c in item.countries]
    assert "US" in codes and "EU" in codes
    evidence = item.topics[0].evidence[0]
    source_text = item.title if evidence["field"] == "title" else item.text
    assert source_text[evidence["start"] : evidence["end"]] == evidence["term"]
    assert crawler.stats.get_value("items/inserted") == 1
    # Stored as the match stage made them: topics with their evidence, countries in rank order.
    with repository_for(crawler.settings["MONITOR_DB_URL"]).sessions() as session:
        article = session.scalars(select(Article).where(Article.canonical_url == item.canonical_url)).one()
        assert {t.topic: t.evidence for t in article.topics} == {t.topic: t.evidence for t in item.topics}
        assert [c.code for c in sorted(article.countries, key=lambda c: c.rank)] == codes


def test_skip_stored_and_seen_in_run(crawler: Crawler) -> None:
    repository_for(crawler.settings["MONITOR_DB_URL"]).ensure_source("edb", "European Data Board", "regulator", "EU")
    run_stages(crawler, document())
    skip = build_from_crawler(SkipStoredStage, crawler)
    normalize = NormalizeUrlStage()
    with pytest.raises(DropItem, match="already stored"):
        skip.process_item(normalize.process_item(document("https://EDB.example/news/dpf_en#top")))
    fresh = normalize.process_item(document("https://edb.example/news/other_en"))
    skip.process_item(fresh)
    with pytest.raises(DropItem, match="already processed"):
        skip.process_item(normalize.process_item(document("https://edb.example/news/other_en")))


def test_extract_drops_binary_and_empty(crawler: Crawler) -> None:
    stage = build_from_crawler(ExtractStage, crawler)
    png = document(body=b"\x89PNG\r\n\x1a\n")
    png.headers = {"content-type": "image/png"}
    with pytest.raises(DropItem, match="binary"):
        stage.process_item(png)
    with pytest.raises(DropItem, match="no article text"):
        stage.process_item(document(body=b"<html><body><nav>Home</nav></body></html>"))
    assert crawler.stats.get_value("extract/binary/skipped") == 1


def test_off_topic_football_transfer_is_not_flagged(crawler: Crawler) -> None:
    body = b"""<html lang="en"><head><title>Striker joins in record transfer</title></head><body><article>
    <h1>Striker joins in record transfer</h1><p>The club confirmed the transfer of its new striker on the last day of
    the summer transfer window, for a fee reported at 80 million euros. The player passed his medical in Manchester on
    Tuesday and signed a five-year contract with the Premier League side.</p><p>Fans gathered outside the stadium to
    welcome the new signing, whose data from last season showed 31 goals in all competitions.</p>
    </article></body></html>"""
    item = document(body=body)
    for stage_cls in (NormalizeUrlStage, ExtractStage, MatchStage):
        item = build_from_crawler(stage_cls, crawler).process_item(item)
    assert not item.flagged and item.topics == []


def test_skip_stored_trusts_the_spiders_check_only_for_the_url_it_checked(crawler: Crawler) -> None:
    repository = crawl_repository(crawler)  # the one the crawler's stages share
    repository.ensure_source("edb", "European Data Board", "regulator", "EU")
    run_stages(crawler, document("https://edb.example/news/dpf_en"))
    calls: list[str] = []
    original = repository.is_stored
    repository.is_stored = lambda url: calls.append(url) or original(url)  # type: ignore[method-assign]
    skip = build_from_crawler(SkipStoredStage, crawler)
    normalize = NormalizeUrlStage()
    checked = document("https://edb.example/news/new_en")
    checked.checked_url = "https://edb.example/news/new_en"
    skip.process_item(normalize.process_item(checked))
    assert calls == [], "the spider checked this URL just before fetching it"
    # A redirect landed on a stored article: the check was for another URL, so the database decides.
    redirected = document("https://edb.example/news/dpf_en")
    redirected.checked_url = "https://edb.example/news/old-link_en"
    with pytest.raises(DropItem, match="already stored"):
        skip.process_item(normalize.process_item(redirected))
    assert calls == ["https://edb.example/news/dpf_en"]
