"""One fetched document in, its clean text, title, date and language out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.extraction.dates import parse_date, settle_date
from monitor.extraction.docx import looks_like_docx

# trafilatura, pypdf and py3langid are imported in ``extract_document``, not here: the crawl
# process imports this module for ``detect_kind`` and ``Extracted`` only, and leaves extraction to
# its worker processes (40 MB and 0.3 s of start-up it need not pay). pypdf (with cryptography,
# 11 MB) is imported only when a PDF comes: most crawls fetch none, and a worker would carry it
# from its first document.

PDF_SIGNATURE = b"%PDF-"
# Binary types a news crawler meets and cannot read; skipped with a reason, never parsed as HTML.
BINARY_PREFIXES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/zip",
    "application/x-",
    "application/vnd.",
    "application/msword",
)


@dataclass
class Extracted:
    kind: str  # html | pdf | docx | binary
    status: str  # ok | empty | encrypted | scanned | failed | skipped
    title: str = ""
    text: str = ""
    summary: str = ""
    published_at: datetime | None = None
    date_status: str | None = None
    language: str | None = None
    content_hash: str | None = None
    detail: str = ""


def detect_kind(body: bytes, content_type: str | None) -> str:
    """PDF by signature first: servers label PDFs application/octet-stream or even text/html.
    DOCX by its zip signature and main part, whatever the label."""
    if body.lstrip()[:5] == PDF_SIGNATURE or body[:1024].find(PDF_SIGNATURE) != -1 and body[:4] != b"<!DO":
        return "pdf"
    if looks_like_docx(body, content_type):
        return "docx"
    lowered = (content_type or "").split(";")[0].strip().lower()
    if lowered == "application/pdf":
        return "pdf"
    if lowered and lowered.startswith(BINARY_PREFIXES):
        return "binary"
    if lowered == "application/octet-stream" and b"<" not in body[:512]:
        return "binary"
    return "html"


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode("utf-8", "replace")).hexdigest()


def extract_document(
    body: bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    feed_title: str | None = None,
    feed_summary: str | None = None,
    feed_published: datetime | None = None,
    timezone: str = "UTC",
    language_hint: str | None = None,
    fetched_at: datetime | None = None,
) -> Extracted:
    """Extract one document; the feed's metadata fills what the page does not say."""
    from monitor.extraction.html import extract_html
    from monitor.extraction.language import detect_language

    fetched_at = fetched_at or datetime.now(UTC)
    kind = detect_kind(body, content_type)
    if kind == "binary":
        return Extracted(kind, "skipped", detail=f"binary content ({content_type})")
    declared: str | None = None
    page_date: datetime | None = None
    if kind == "pdf":
        from monitor.extraction.pdf import extract_pdf

        pdf = extract_pdf(body)
        result = Extracted(kind, pdf.status, title=pdf.title, text=pdf.text, detail=pdf.detail)
    elif kind == "docx":
        from monitor.extraction.docx import extract_docx

        docx = extract_docx(body)
        result = Extracted(kind, docx.status, title=docx.title, text=docx.text, detail=docx.detail)
    else:
        extraction = extract_html(body, url)
        if extraction is None:
            result = Extracted(kind, "empty", detail="no article text found")
        else:
            result = Extracted(kind, "ok", title=extraction.title, text=extraction.text, summary=extraction.summary)
            declared = extraction.declared_language
            page_date = parse_date(extraction.date, timezone)
    if feed_title and (not result.title or kind in ("pdf", "docx")):
        result.title = feed_title
    if not result.summary and feed_summary:
        result.summary = feed_summary
    if not result.summary and result.text:
        result.summary = result.text[:300].rsplit(" ", 1)[0] if len(result.text) > 300 else result.text
    result.published_at, result.date_status = settle_date(feed_published or page_date, fetched_at)
    if result.text or result.title:
        result.language = detect_language(result.text or result.title, declared, language_hint)
        result.content_hash = content_hash(result.title, result.text)
    return result
