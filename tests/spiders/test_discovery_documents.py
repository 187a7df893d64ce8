"""Document links a page cites (``spiders.documents``), and what a document is once fetched
(``detect_kind`` and the DOCX reader)."""

from __future__ import annotations

import io
import zipfile

from scrapy.http import HtmlResponse

from monitor.extraction.document import detect_kind, extract_document
from monitor.extraction.docx import DOCX_TYPE, MAX_PART_BYTES, extract_docx
from spiders.documents import document_links, looks_like_document_link, within_hosts
from tests.mockserver.cms_sites import minimal_docx
from tests.mockserver.fault_pages import minimal_pdf

BASE = "https://www.dpa.example"


def page(html: str, url: str = f"{BASE}/en/news/decision") -> HtmlResponse:
    return HtmlResponse(url, body=html.encode(), encoding="utf-8")


ARTICLE = """<html><body>
<header><nav><a href="/en/news">News</a> <a href="/files/annual-plan.pdf">Annual plan (PDF)</a></nav></header>
<main><article><h1>Decision</h1>
<p>Read <a href="/sites/default/files/decision.PDF#page=2">the decision</a>,
<a href="/system/files/decisions/decision-7" type="application/pdf">its annex</a>,
<a href="/download.ashx?id=9" download>the appendix</a> and
<a href="/fileadmin/user_upload/opinion.docx">the opinion</a>.</p>
<p><a href="/SharedDocs/Downloads/DE/x.html?__blob=publicationFile&amp;v=2">Eckpunkte</a>
<a href="/en/news/other-article">Another article</a> <a href="/en/news/report.html">Report (PDF version below)</a>
<a href="/~/media/files/decisions/cloud-decision">Télécharger la décision</a></p>
</article></main>
<footer><a href="/accessibility.pdf">Accessibility (PDF)</a></footer></body></html>"""


def test_documents_of_the_content_area_by_extension_type_download_path_and_words() -> None:
    assert document_links(page(ARTICLE)) == [
        f"{BASE}/sites/default/files/decision.PDF",
        f"{BASE}/system/files/decisions/decision-7",
        f"{BASE}/download.ashx?id=9",
        f"{BASE}/fileadmin/user_upload/opinion.docx",
        f"{BASE}/~/media/files/decisions/cloud-decision",
    ]


def test_a_page_without_an_article_or_main_element_loses_only_its_menus_and_footer() -> None:
    html = (
        "<html><body><div class=nav><a href=/plan.pdf>Plan (PDF)</a></div>"
        "<div class=list><a href=/xwfb/notice.pdf>通知</a></div>"
        "<div class=foot><a href=/wza.pdf>PDF</a></div></body></html>"
    )
    assert document_links(page(html, f"{BASE}/xwfb/index.htm")) == [f"{BASE}/xwfb/notice.pdf"]


def test_link_shapes() -> None:
    assert looks_like_document_link(f"{BASE}/a/b.pdf")
    assert looks_like_document_link(f"{BASE}/a/b", "Download (PDF, 2 MB)")
    assert looks_like_document_link(f"{BASE}/a/b", kind="application/pdf; charset=binary")
    assert not looks_like_document_link(f"{BASE}/a/b.html", "Download the PDF")  # a page about it
    assert not looks_like_document_link(f"{BASE}/a/b", "Read more")


def test_hosts() -> None:
    assert within_hosts("https://dpa.example/x.pdf", {"www.dpa.example"})
    assert not within_hosts("https://cdn.other.example/x.pdf", {"www.dpa.example"})
    assert not within_hosts("http://[::1/x.pdf", {"::1"})


def test_a_pdf_is_known_by_its_bytes_whatever_its_label() -> None:
    body = minimal_pdf("Decision of the authority on the transfer of data to third countries")
    assert detect_kind(body, "application/octet-stream") == "pdf"
    assert detect_kind(body, None) == "pdf"


def test_docx_text_and_title() -> None:
    body = minimal_docx("Opinion on the cloud law", ["The authority gives its opinion.", "Second paragraph here."])
    assert detect_kind(body, "application/octet-stream") == "docx"
    assert detect_kind(body, DOCX_TYPE) == "docx"
    result = extract_document(body, f"{BASE}/opinion.docx", "application/octet-stream")
    assert (result.kind, result.status) == ("docx", "ok")
    assert result.title == "Opinion on the cloud law"
    assert result.text == "The authority gives its opinion.\n\nSecond paragraph here."
    assert result.content_hash


def test_other_zips_and_broken_docx_files() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("data.csv", "a,b\n")
    assert detect_kind(archive.getvalue(), "application/zip") == "binary"
    assert extract_docx(b"PK\x03\x04 not really a zip").status == "failed"
    assert detect_kind(b"PK\x03\x04 truncated", DOCX_TYPE) == "docx"  # labelled so, read and failed
    assert extract_document(b"PK\x03\x04 truncated", None, DOCX_TYPE).status == "failed"


def test_a_zip_bomb_is_not_inflated() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.writestr("word/document.xml", b"<w:document>" + b" " * (MAX_PART_BYTES + 10) + b"</w:document>")
    body = archive.getvalue()
    assert len(body) < MAX_PART_BYTES // 100
    result = extract_docx(body)
    assert result.status == "failed" and "limit" in result.detail
