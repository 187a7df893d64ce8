"""Every form of "next page" a listing uses, found without configuration (``next_page_link``), and
the pager's links kept out of the article links."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from monitor.config.schema import Listing
from spiders.listings import article_links, next_page, next_page_link, pager_links

BASE = "https://www.dpa.example"


def page(body: str, url: str = f"{BASE}/news/", head: str = "") -> HtmlResponse:
    html = f"<html><head><title>News</title>{head}</head><body><main>{body}</main></body></html>"
    return HtmlResponse(url, body=html.encode(), encoding="utf-8")


def test_link_rel_next_in_the_head() -> None:
    assert next_page_link(page("<p>items</p>", head="<link rel='next' href='/news/page/2/'>")) == f"{BASE}/news/page/2/"


def test_a_rel_next_with_a_query_only_href_from_page_zero() -> None:
    """Drupal views: ``?page=N`` counts from 0 and the link is relative to the listing's path."""
    body = "<ul class='pager__items'><li class='pager__item'><a href='?page=1' rel='next'>››</a></li></ul>"
    assert next_page_link(page(body, url=f"{BASE}/en/news")) == f"{BASE}/en/news?page=1"


@pytest.mark.parametrize(
    "label",
    [
        "Next",
        "Next »",
        "next page ›",
        "Suivant",
        "Page suivante",
        "Weiter",
        "nächste",
        "Volgende",
        "Siguiente",
        "Successivo",
        "Próxima",
        "下一页",
        "Older posts",
        "›",
    ],
)
def test_next_in_the_languages_of_the_sources(label: str) -> None:
    body = f"<div class='pages'><a href='/news/?p=1'>Prev</a> <a href='/news/page-2'>{label}</a></div>"
    assert next_page_link(page(body)) == f"{BASE}/news/page-2"


@pytest.mark.parametrize("label", ["Next page", "Go to next page", "Nächste Seite", "Page suivante"])
def test_an_icon_named_only_by_its_aria_label_or_title(label: str) -> None:
    """Sitecore's pager: an SVG chevron, ``aria-label="Next page"``, ``?page=N&...``."""
    body = (
        "<nav class='pagination'><a class='pagination__link' aria-current='page' href='?page=1&amp;year=all'>1</a>"
        f"<a class='pagination__link' href='?page=2&amp;year=all' aria-label='{label}'><svg></svg></a></nav>"
    )
    assert next_page_link(page(body, url=f"{BASE}/en/news")) == f"{BASE}/en/news?page=2&year=all"
    titled = body.replace("aria-label", "title")
    assert next_page_link(page(titled, url=f"{BASE}/en/news")) == f"{BASE}/en/news?page=2&year=all"


def test_wordpress_next_page_numbers_absolute_href() -> None:
    body = (
        "<nav class='navigation pagination'><div class='nav-links'><span class='page-numbers current'>1</span>"
        f"<a class='page-numbers' href='{BASE}/news/page/2/'>2</a>"
        f"<a class='next page-numbers' href='{BASE}/news/page/2/'>Next &raquo;</a></div></nav>"
    )
    assert next_page_link(page(body)) == f"{BASE}/news/page/2/"


def test_typo3_page_browser_with_bracketed_parameters_and_chash() -> None:
    href = "/aktuelles/?tx_news_pi1%5B%40widget_0%5D%5BcurrentPage%5D=3&amp;cHash=a1b2"
    body = (
        "<ul class='f3-widget-paginator'><li><a href='/aktuelles/'>1</a></li><li class='current'>2</li>"
        f"<li><a href='{href}'>3</a></li><li class='next'><a href='{href}'>nächste</a></li></ul>"
    )
    assert next_page_link(page(body, url=f"{BASE}/aktuelles/?x=2")) == (
        f"{BASE}/aktuelles/?tx_news_pi1%5B%40widget_0%5D%5BcurrentPage%5D=3&cHash=a1b2"
    )


def test_a_class_that_names_next_on_the_link_or_its_list_item() -> None:
    body = "<ul class='pagination'><li class='pager-next'><a href='/news/?start=20'>&gt;&gt;</a></li></ul>"
    assert next_page_link(page(body)) == f"{BASE}/news/?start=20"


def test_load_more_link_to_the_next_chunk() -> None:
    body = "<div id='news'>…</div><div class='more'><a class='btn' href='/news/more?offset=9'>Show more news</a></div>"
    assert next_page_link(page(body)) == f"{BASE}/news/more?offset=9"
    french = "<a class='js-load-more' href='/actualites/plus?o=9'>Afficher plus</a>"
    assert next_page_link(page(french)) == f"{BASE}/actualites/plus?o=9"


def test_numbers_only_pager_with_the_current_page_marked() -> None:
    body = (
        "<ul class='pagination'><li><a href='/news/?pg=1'>1</a></li><li class='active'><a href='#'>2</a></li>"
        "<li><a href='/news/?pg=3'>3</a></li><li><a href='/news/?pg=4'>4</a></li></ul>"
    )
    assert next_page_link(page(body, url=f"{BASE}/news/?pg=2")) == f"{BASE}/news/?pg=3"


def test_numbers_only_pager_without_a_mark() -> None:
    """The current page is the number between two linked ones that is not linked, or 1 before 2."""
    first = "<p class='pages'>Page: <b>1</b> <a href='?pg=2'>2</a> <a href='?pg=3'>3</a></p>"
    assert next_page_link(page(first)) == f"{BASE}/news/?pg=2"
    middle = "<p class='pages'><a href='/news/'>1</a> <b>2</b> <a href='?pg=3'>3</a> <a href='?pg=9'>9</a></p>"
    assert next_page_link(page(middle, url=f"{BASE}/news/?pg=2")) == f"{BASE}/news/?pg=3"
    last = "<p class='pages'><a href='/news/'>1</a> <a href='?pg=2'>2</a> <b>3</b></p>"
    assert next_page_link(page(last, url=f"{BASE}/news/?pg=3")) is None


def test_static_index_n_pages_in_chinese() -> None:
    body = (
        "<div class=page><a href=index.htm>首页</a> <a href=index_1.htm>上一页</a> <a href=index_3.htm>下一页</a></div>"
    )
    assert next_page_link(page(body, url=f"{BASE}/xwfb/index_2.htm")) == f"{BASE}/xwfb/index_3.htm"


@pytest.mark.parametrize(
    "body",
    [
        "<a href='/news/?page=9'>Last »</a> <a href='/news/?page=0'>« First</a> <a href='/news/?page=1'>Previous</a>",
        "<div class='years'><a href='/news/?y=2025'>2025</a> <a class='active' href='/news/?y=2026'>2026</a></div>",
        "<a href='#'>Next</a> <a href=\"javascript:__doPostBack('Pager','Next')\">Next &gt;</a>",
        "<a href='/news/' rel='next'>Next</a>",  # the page itself
        "<article><a href='/news/item' title='Weiter zum Artikel'>Weiterlesen</a></article>",
    ],
)
def test_what_is_not_a_next_page(body: str) -> None:
    assert next_page_link(page(body)) is None


def test_rel_next_comes_before_a_guess_from_the_text() -> None:
    body = "<a href='/news/?x=1'>Next</a>"
    assert next_page_link(page(body, head="<link rel='next' href='/news/?page=2'>")) == f"{BASE}/news/?page=2"


def test_configured_selector_and_template_still_win() -> None:
    response = page("<a href='/news/?page=2'>Next</a><a class='fwd' href='/news/?p2'>more</a>")
    assert next_page(response, Listing(url=f"{BASE}/news/", next_selector="a.fwd"), 1) == f"{BASE}/news/?p2"
    template = Listing(url=f"{BASE}/news/", page_url=f"{BASE}/news/index_{{n}}.htm", first_page=0)
    assert next_page(response, template, 0) == f"{BASE}/news/index_1.htm"
    assert next_page(response, Listing(url=f"{BASE}/news/"), 1) == f"{BASE}/news/?page=2"


def test_pager_links_are_not_articles_but_items_on_the_listings_path_are() -> None:
    """ASP.NET: the listing is ``News.aspx?pg=N`` and its articles ``News.aspx?id=N``."""
    body = (
        "<table class='grid'><tr><td><a href='News.aspx?id=101'>Release 101</a></td></tr>"
        "<tr><td><a href='News.aspx?id=102&amp;utm_source=x'>Release 102</a></td></tr></table>"
        "<div class='pager'><span>1</span> <a href='News.aspx?pg=2'>2</a> <a href='News.aspx?pg=2'>Next &gt;</a></div>"
        "<a href='News.aspx?sort=date'>Sort by date</a>"
    )
    response = page(body, url=f"{BASE}/News.aspx")
    assert article_links(response, None) == [f"{BASE}/News.aspx?id=101", f"{BASE}/News.aspx?id=102&utm_source=x"]
    assert f"{BASE}/News.aspx?pg=2" in pager_links(response)


def test_content_only_leaves_out_the_menus_and_footer() -> None:
    html = (
        "<html><body><header><nav><a href='/en/decisions'>Decisions</a></nav></header>"
        "<main><div class='views-row'><a href='/en/news/fine'>A fine</a></div></main>"
        "<footer><a href='/en/sitemap-page'>Site map</a></footer></body></html>"
    )
    response = HtmlResponse(f"{BASE}/en/news", body=html.encode(), encoding="utf-8")
    assert article_links(response, None, content_only=True) == [f"{BASE}/en/news/fine"]
    assert f"{BASE}/en/decisions" in article_links(response, None)  # the ad-hoc crawl follows menus
