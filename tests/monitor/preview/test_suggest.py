"""The suggested sources.yaml entry, made of what a crawl found (``monitor.preview.suggest``)."""

from __future__ import annotations

import yaml

from monitor.config.schema import Source
from monitor.preview.suggest import page_template, suggested_source, suggestion_yaml
from spiders.discovery import Discovered

SITE = "https://www.dataprotection.ie"


def test_a_pager_counting_up_by_one_number_is_a_page_url_template() -> None:
    drupal = [f"{SITE}/en/news", f"{SITE}/en/news?page=1", f"{SITE}/en/news?page=2"]
    assert page_template(drupal) == (f"{SITE}/en/news?page={{n}}", 0)
    wordpress = [f"{SITE}/news/", f"{SITE}/news/page/2/", f"{SITE}/news/page/3/", f"{SITE}/news/page/4/"]
    assert page_template(wordpress) == (f"{SITE}/news/page/{{n}}/", 1)
    static = [f"{SITE}/xwfb/index.htm", f"{SITE}/xwfb/index_1.htm", f"{SITE}/xwfb/index_2.htm"]
    assert page_template(static) == (f"{SITE}/xwfb/index_{{n}}.htm", 0)


def test_no_template_without_two_pages_to_confirm_it_or_when_more_than_the_number_changes() -> None:
    assert page_template([f"{SITE}/news", f"{SITE}/news?page=1"]) is None
    typo3 = [f"{SITE}/news", f"{SITE}/news?page=2&cHash=a81f", f"{SITE}/news?page=3&cHash=09c2"]
    assert page_template(typo3) is None
    skipping = [f"{SITE}/news", f"{SITE}/news?start=10", f"{SITE}/news?start=20"]
    assert page_template(skipping) is None
    broken = [f"{SITE}/news", f"{SITE}/news?page=2", f"{SITE}/news?page=3", f"{SITE}/news?page=9"]
    assert page_template(broken) is None


def found() -> Discovered:
    """A home page whose teasers the news listing shows too, a news listing of three pages whose
    content also links a section front, and a decisions page of PDFs."""
    discovered = Discovered(f"{SITE}/", title="Data Protection Commission", language="en")
    articles = {f"{SITE}/en/news/item-{n}" for n in range(6)}
    pdfs = {f"{SITE}/sites/default/files/decision-{n}.pdf" for n in range(2)}
    discovered.items = articles | pdfs
    discovered.documents = set(pdfs)
    discovered.listing_page(f"{SITE}/", f"{SITE}/", [f"{SITE}/en/news/item-0", f"{SITE}/en/news/item-1"])
    news = [f"{SITE}/en/news", f"{SITE}/en/news?page=1", f"{SITE}/en/news?page=2"]
    for number, page in enumerate(news):
        links = [f"{SITE}/en/news/item-{2 * number}", f"{SITE}/en/news/item-{2 * number + 1}", f"{SITE}/en/events"]
        discovered.listing_page(news[0], page, links)
    discovered.listing_page(f"{SITE}/en/events", f"{SITE}/en/events", [])
    discovered.listing_page(f"{SITE}/en/decisions", f"{SITE}/en/decisions", sorted(pdfs))
    discovered.feeds[f"{SITE}/en/rss.xml"] = 20
    return discovered


def test_the_fewest_listings_that_show_every_article_with_their_pager_and_a_pattern_past_a_section() -> None:
    entry = suggested_source(found())
    assert entry is not None
    assert entry["listings"] == [
        {
            "url": f"{SITE}/en/news",
            # /en/events is on the listing and no article: the pattern leaves it out.
            "link_pattern": r"^https://www\.dataprotection\.ie/en/news/",
            "page_url": f"{SITE}/en/news?page={{n}}",
            "first_page": 0,
        },
        {"url": f"{SITE}/en/decisions"},  # the home page shows nothing the two do not
    ]
    assert entry["feeds"] == [f"{SITE}/en/rss.xml"]
    assert (entry["id"], entry["jurisdiction"], entry["language"]) == ("dataprotection", "IE", "en")
    assert entry["name"] == "Data Protection Commission" and entry["homepage"] == f"{SITE}/"


def test_the_printed_yaml_is_an_entry_the_schema_accepts() -> None:
    text = suggestion_yaml(suggested_source(found()) or {})
    assert text.startswith("# Suggested sources.yaml entry")
    (entry,) = yaml.safe_load(text)
    source = Source.model_validate(entry)
    assert source.listings[0].page_url == f"{SITE}/en/news?page={{n}}" and source.listings[0].first_page == 0


def test_one_article_behind_a_section_front_gets_its_folder_as_the_pattern() -> None:
    discovered = Discovered(f"{SITE}/")
    discovered.items = {f"{SITE}/press/2026/05/fine-for-transfers/"}
    discovered.listing_page(f"{SITE}/press/", f"{SITE}/press/", [*discovered.items, f"{SITE}/events/"])
    discovered.listing_page(f"{SITE}/events/", f"{SITE}/events/", [])
    entry = suggested_source(discovered)
    assert entry is not None
    assert entry["listings"] == [
        {"url": f"{SITE}/press/", "link_pattern": r"^https://www\.dataprotection\.ie/press/2026/05/"}
    ]


def test_ids_do_not_clash_and_jurisdictions_come_from_country_code_domains() -> None:
    assert suggested_source(found(), taken={"dataprotection"})["id"] == "dataprotection-2"  # type: ignore[index]
    for start, jurisdiction, source_id in [
        ("https://www.cnil.fr/fr/actualites", "FR", "cnil"),
        ("https://ico.org.uk/", "GB", "ico"),
        ("https://www.edpb.europa.eu/news", "EU", "edpb"),
        ("https://www.ftc.gov/news", "INTL", "ftc"),
        ("http://127.0.0.1:8123/", "INTL", "site-127-0-0-1"),
    ]:
        discovered = Discovered(start)
        discovered.sitemaps[start + "sitemap.xml"] = 3
        entry = suggested_source(discovered)
        assert entry is not None and (entry["jurisdiction"], entry["id"]) == (jurisdiction, source_id), start
        Source.model_validate(entry)


def test_nothing_to_suggest_when_the_crawl_found_no_entry_point_with_articles() -> None:
    discovered = Discovered(f"{SITE}/")
    discovered.listing_page(f"{SITE}/", f"{SITE}/", [f"{SITE}/en/about"])
    assert suggested_source(discovered) is None
