from __future__ import annotations

from scrapy.http import HtmlResponse

from monitor.config.schema import Listing
from spiders.listings import article_links, next_page

URL = "https://l.example/"  # the listing's own URL: not what these tests look at

# A Drupal-style DPA listing with navigation, a cookie banner, unquoted hrefs and a pager.
LISTING = """<!DOCTYPE html><html lang="en"><head><title>Latest news | DPC</title></head><body>
<div class="cookie-banner"><a href="/cookies">Cookie settings</a></div>
<nav><a href="/en/about">About us</a> <a href="/en/contact">Contact</a>
<a href="/en/news-media/latest-news">News</a></nav>
<main><div class="view-content">
  <div class="views-row"><h3>
<a href="/en/news-media/press-releases/dpc-fines-cloud-provider">DPC fines cloud provider</a></h3></div>
  <div class="views-row"><h3><a href=/en/news-media/press-releases/transfer-decision-2026>Transfer decision
</a></h3></div>
  <div class="views-row"><h3><a href="https://www.dataprotection.example/en/news-media/press-releases/dpc-fines-cloud-provider#top">dup</a></h3></div>
</div>
<ul class="pager"><li><a href="?page=1" rel="next" title="Go to next page">Next ›</a></li></ul></main>
<footer><a href="/en/privacy-policy">Privacy</a> <a href="/en/rss.xml">RSS</a></footer></body></html>"""


def response(url: str = "https://www.dataprotection.example/en/news-media/latest-news") -> HtmlResponse:
    return HtmlResponse(url, body=LISTING.encode(), encoding="utf-8")


def test_css_selector_unquoted_href_dedup_and_fragment() -> None:
    links = article_links(response(), Listing(url=URL, link_selector=".view-content .views-row a"))
    assert links == [
        "https://www.dataprotection.example/en/news-media/press-releases/dpc-fines-cloud-provider",
        "https://www.dataprotection.example/en/news-media/press-releases/transfer-decision-2026",
    ]


def test_xpath_and_pattern() -> None:
    listing = Listing(url=URL, link_selector="//main//h3/a/@href", link_pattern=r"/press-releases/transfer")
    assert article_links(response(), listing) == [
        "https://www.dataprotection.example/en/news-media/press-releases/transfer-decision-2026"
    ]


def test_without_selector_navigation_and_pager_are_not_articles() -> None:
    links = article_links(response(), None)
    assert all("/press-releases/" in link for link in links), links
    assert len(links) == 2


def test_next_page_by_rel_next_and_by_template() -> None:
    assert next_page(response(), Listing(url=URL), 0) == (
        "https://www.dataprotection.example/en/news-media/latest-news?page=1"
    )
    template = Listing(url=URL, page_url="https://www.cac.example/wxzw/A093702index_{n}.htm", first_page=1)
    assert next_page(response(), template, 1) == "https://www.cac.example/wxzw/A093702index_2.htm"
    assert next_page(HtmlResponse("https://a.example/", body=b"<p>last page</p>"), Listing(url=URL), 3) is None
