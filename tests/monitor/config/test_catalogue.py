"""The shipped catalogue, config/sources.yaml: it loads, its fields are real codes, its link rules
pick the article URLs its evidence shows, and every piece of evidence it names is dated.

The evidence convention (see the file's header) is one comment inside the entry:
``# evidence: <where> (YYYY-MM-DD)``; ``# unverified: <why>`` marks an entry point that only
undated material supports. docs/sources.md is the human-readable side of the same catalogue.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pycountry
import pytest
import yaml
from scrapy.http import HtmlResponse

from monitor.config import load_config
from monitor.config.entry_points import entry_points
from monitor.config.loader import read_yaml, validate
from monitor.config.schema import Listing, Source, SourcesFile
from monitor.matching.languages import detected_codes
from spiders.listings import article_links
from tests.helpers import CONFIG_DIR, REPO_ROOT

SOURCES_PATH = CONFIG_DIR / "sources.yaml"
DOCS_PATH = REPO_ROOT / "docs" / "sources.md"

ENTRY_START = re.compile(r"^  - id: (?P<id>\S+)\s*$")
EVIDENCE = re.compile(r"^\s*#\s*evidence:\s*(?P<where>\S.*?)\s*\((?P<date>\d{4}-\d{2}-\d{2})\)\s*$")
STATUS = re.compile(r"^\s*#\s*(evidence|unverified):")
# The first evidence anyone could cite for this catalogue; older would be a typo for a year.
OLDEST_EVIDENCE = date(2020, 1, 1)


def catalogue() -> list[Source]:
    return validate(SourcesFile, read_yaml(SOURCES_PATH), SOURCES_PATH).sources


def entry_comments(text: str) -> dict[str, list[str]]:
    """The comment lines inside each entry (indented like its keys), keyed by id.

    A comment at the list's own indentation (a section title, the retired-source example)
    belongs to no entry, wherever it sits."""
    comments: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        start = ENTRY_START.match(line)
        if start:
            current = start["id"]
            comments[current] = []
        elif current is not None and line.startswith("    ") and line.lstrip().startswith("#"):
            comments[current].append(line)
    return comments


def by_id() -> dict[str, Source]:
    return {source.id: source for source in catalogue()}


# -- loading -------------------------------------------------------------------------------


def test_the_shipped_configuration_loads_with_the_project_loader() -> None:
    config = load_config(CONFIG_DIR)
    assert [s.id for s in config.sources] == [s.id for s in catalogue()]
    assert len(config.sources) >= 40, "the catalogue lost sources"
    assert sum(s.enabled for s in config.sources) >= 30, "most of the catalogue should run"


def test_ids_are_unique_in_the_file_itself() -> None:
    raw = yaml.safe_load(SOURCES_PATH.read_text(encoding="utf-8"))["sources"]
    ids = [entry["id"] for entry in raw]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    # The comment parser below sees the same entries as YAML does.
    assert list(entry_comments(SOURCES_PATH.read_text(encoding="utf-8"))) == ids


def test_every_enabled_source_has_an_https_entry_point_on_a_public_name() -> None:
    for source in catalogue():
        if not source.enabled:
            continue
        urls = [point.url for point in entry_points(source)]
        if source.discover_sitemaps:
            assert source.homepage, source.id
            urls.append(source.homepage)
        assert urls, f"{source.id}: enabled without an entry point"
        for url in urls:
            parts = urlsplit(url)
            assert parts.scheme == "https", f"{source.id}: {url} is not https"
            host = parts.hostname or ""
            assert "." in host and not re.fullmatch(r"[\d.]+|\[.*\]", host), f"{source.id}: {url}"
            assert host not in {"localhost", "example.org", "example.com"}, f"{source.id}: {url}"


def test_jurisdictions_are_iso_codes_eu_or_intl() -> None:
    for source in catalogue():
        code = source.jurisdiction
        assert code in {"EU", "INTL"} or pycountry.countries.get(alpha_2=code) is not None, f"{source.id}: {code}"


def test_languages_are_known_to_the_detector() -> None:
    known = set(detected_codes())
    for source in catalogue():
        assert source.language in known, f"{source.id}: {source.language!r} is not in monitor/matching/languages.py"


# -- evidence --------------------------------------------------------------------------------


def test_every_comment_that_names_evidence_carries_a_date() -> None:
    text = SOURCES_PATH.read_text(encoding="utf-8")
    body = text[text.index("\nsources:") :]  # the header shows the convention itself
    lines = [line for line in body.splitlines() if re.search(r"\bevidence:", line)]
    assert len(lines) >= 40, "the catalogue names too little evidence"
    today = date.today()
    for line in lines:
        match = EVIDENCE.match(line)
        assert match, f"not '# evidence: <where> (YYYY-MM-DD)': {line.strip()}"
        when = date.fromisoformat(match["date"])  # raises on 2026-02-30
        assert OLDEST_EVIDENCE <= when <= today, f"implausible evidence date: {line.strip()}"
        assert len(match["where"]) >= 12, f"evidence names no place: {line.strip()}"


def test_every_entry_states_its_evidence_and_a_disabled_one_says_why() -> None:
    comments = entry_comments(SOURCES_PATH.read_text(encoding="utf-8"))
    for source in catalogue():
        statuses = [line for line in comments[source.id] if STATUS.match(line)]
        assert statuses, f"{source.id}: no '# evidence:' or '# unverified:' comment"
        if not source.enabled:
            assert len(source.notes) >= 40, f"{source.id}: disabled without a reason in notes"


def test_a_source_with_no_dated_evidence_is_disabled_unless_it_predates_the_check() -> None:
    # The entries kept enabled on the autumn 2026 research alone, unchanged by this check. A new
    # source joins only with dated evidence, or disabled.
    grandfathered = {"gaia-x", "noyb", "global-cbpr", "politico-tech", "techcrunch-policy", "the-record"}
    comments = entry_comments(SOURCES_PATH.read_text(encoding="utf-8"))
    for source in catalogue():
        dated = [line for line in comments[source.id] if EVIDENCE.match(line)]
        if source.enabled and not dated:
            assert source.id in grandfathered, f"{source.id}: enabled without dated evidence"


def test_docs_list_every_shipped_source() -> None:
    docs = DOCS_PATH.read_text(encoding="utf-8")
    missing = [source.id for source in catalogue() if f"`{source.id}`" not in docs]
    assert not missing, f"docs/sources.md does not list {missing}"


# -- link rules against the URLs the evidence shows ----------------------------------------------

# (source id, listing index, article URLs the evidence shows, non-article links of the same site)
ARTICLE_URLS = [
    (
        "dpc-ie",
        0,
        [
            "https://www.dataprotection.ie/en/news-media/latest-news/data-protection-commission-fines-google-eu403-million-following-inquiry-googles-processing-location",
            "https://www.dataprotection.ie/en/news-media/latest-news/data-protection-commission-publishes-ai-insights-report",
        ],
        [
            "https://www.dataprotection.ie/en/news-media/latest-news?page=0",
            "https://www.dataprotection.ie/en/news-media/press-releases",
            "https://www.dataprotection.ie/en/dpc-guidance",
        ],
    ),
    (
        "nda-cn",
        0,
        [
            "https://www.nda.gov.cn/sjj/zwgk/zcfb/0708/20260708133949899211227_pc.html",
            "https://www.nda.gov.cn/sjj/zwgk/tzgg/0716/20250716205501357780564_pc.html",
            "https://www.nda.gov.cn/sjj/ywpd/szkjyjcss/0915/20250915162252254699971_pc.html",
        ],
        [
            "https://www.nda.gov.cn/sjj/zwgk/tzgg/list/index_pc_2.html",
            "https://www.nda.gov.cn/sjj/index_pc.html",
        ],
    ),
    (
        "cac",
        1,
        ["https://www.cac.gov.cn/2026-07/10/c_1785427810632554.htm"],
        ["https://www.cac.gov.cn/wxzw/wxfb/A093702index_2.htm", "https://www.cac.gov.cn/index.htm"],
    ),
    (
        "ppc-jp",
        0,
        ["https://www.ppc.go.jp/news/press/2026/260717/", "https://www.ppc.go.jp/news/press/2023/240325_houdou/"],
        ["https://www.ppc.go.jp/news/press/2026/", "https://www.ppc.go.jp/files/pdf/260717_houritsu.pdf"],
    ),
    (
        "pdpc-sg",
        0,
        [
            "https://www.pdpc.gov.sg/news-and-events/announcements/2024/03/advisory-guidelines-on-the-pdpa-for-childrens-personal-data-in-the-digital-environment-now-available",
            "https://www.pdpc.gov.sg/News-and-Events/Announcements/2022/05/Launch-of-AI-Verify---An-AI-Governance-Testing-Framework-and-Toolkit",
        ],
        ["https://www.pdpc.gov.sg/news-and-events/announcements", "https://www.pdpc.gov.sg/news-and-events/events"],
    ),
    (
        "anpd-br",
        0,
        ["https://www.gov.br/anpd/pt-br/assuntos/noticias/anpd-divulga-agenda-regulatoria-2025-2026"],
        ["https://www.gov.br/anpd/pt-br/assuntos/noticias?b_start:int=30", "https://www.gov.br/anpd/pt-br/assuntos"],
    ),
    (
        "euractiv-tech",
        0,
        ["https://www.euractiv.com/section/tech/news/french-interior-ministry-targeted-in-major-cyberattack/"],
        ["https://www.euractiv.com/section/tech/", "https://www.euractiv.com/section/digital/news/other/"],
    ),
    (
        "ustr",
        0,
        [
            "https://ustr.gov/about-us/policy-offices/press-office/press-releases/2026/september/ustr-statement",
            "https://ustr.gov/about/policy-offices/press-office/press-releases/2026/october/joint-statement",
        ],
        ["https://ustr.gov/about-us/policy-offices/press-office/press-releases", "https://ustr.gov/about-us"],
    ),
    (
        "pipc-kr",
        0,
        ["https://www.pipc.go.kr/eng/user/ltn/new/noticeDetail.do?bbsId=BBSMSTR_000000000001&nttId=3071"],
        ["https://www.pipc.go.kr/eng/user/ltn/new/noticeList.do?pageIndex=2"],
    ),
]


def _page(url: str, links: list[str]) -> HtmlResponse:
    body = "<html><body><nav><a href='/'>Home</a></nav><main>"
    body += "".join(f"<article><h2><a href='{link}'>Item {n}</a></h2></article>" for n, link in enumerate(links))
    return HtmlResponse(url=url, body=(body + "</main></body></html>").encode(), encoding="utf-8")


@pytest.mark.parametrize(("source_id", "index", "articles", "others"), ARTICLE_URLS, ids=[a[0] for a in ARTICLE_URLS])
def test_a_listing_keeps_the_article_urls_its_evidence_shows(
    source_id: str, index: int, articles: list[str], others: list[str]
) -> None:
    listing = by_id()[source_id].listings[index]
    found = article_links(_page(listing.url, [*others, *articles]), listing)
    assert found == articles


def test_the_meity_selector_reads_only_the_electronics_and_it_block_of_pib() -> None:
    listing: Listing = by_id()["meity"].listings[0]
    html = """<html><body><form><div class='content-area'>
      <h3 class='font104'>Ministry of Finance</h3>
      <ul class='num'><li><a href='/PressReleasePage.aspx?PRID=2317034'>Accounts</a></li></ul>
      <h3 class='font104'>Ministry of Electronics &amp; IT</h3>
      <ul class='num'><li><a href='/PressReleasePage.aspx?PRID=2317101'>DPDP Rules</a></li>
        <li><a href='/PressReleseDetail.aspx?PRID=2317102&amp;reg=3&amp;lang=1'>IndiaAI</a></li></ul>
      <h3 class='font104'>Ministry of External Affairs</h3>
      <ul class='num'><li><a href='/PressReleasePage.aspx?PRID=2317200'>Visit</a></li></ul>
    </div></form></body></html>"""
    response = HtmlResponse(url=listing.url, body=html.encode(), encoding="utf-8")
    assert article_links(response, listing) == [
        "https://www.pib.gov.in/PressReleasePage.aspx?PRID=2317101",
        "https://www.pib.gov.in/PressReleseDetail.aspx?PRID=2317102&reg=3&lang=1",
    ]
    without_meity = html.replace("Electronics &amp; IT", "Home Affairs")
    quiet_day = HtmlResponse(url=listing.url, body=without_meity.encode(), encoding="utf-8")
    assert article_links(quiet_day, listing) == []


def test_the_ico_sitemap_pattern_keeps_news_pages_from_2026_on() -> None:
    pattern = re.compile(by_id()["ico"].sitemap_link_pattern or "")
    base = "https://ico.org.uk/about-the-ico/media-centre/news-and-blogs"
    assert pattern.search(f"{base}/2026/11/ico-fines-company/")
    assert pattern.search(f"{base}/2031/01/statement")
    assert not pattern.search(f"{base}/2025/12/older-item/")
    assert not pattern.search(f"{base}/")
    assert not pattern.search("https://ico.org.uk/for-organisations/guide/")


def test_no_retired_source_or_entry_point_is_back() -> None:
    # Reuters refuses generic crawlers in robots.txt; the IAPP dashboard has no open feed; PIB's
    # RSS redirects to Hindi; the Parliament's old feed moved; commerce.gov is behind a challenge.
    sources = catalogue()
    assert not {source.id for source in sources} & {"reuters-tech", "iapp"}
    urls = [url for s in sources for url in (*s.feeds, *s.sitemaps, *(listing.url for listing in s.listings))]
    for retired in ("pib.gov.in/RssMain.aspx", "europarl.europa.eu/rss/doc/press/", "commerce.gov/", "iapp.org"):
        assert not [url for url in urls if retired in url], retired
