"""Article text from HTML with trafilatura, comments excluded (they are not the regulator's words)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import use_config

log = logging.getLogger(__name__)

# trafilatura walks the whole tree; past this many elements a page is a crawler trap, not an
# article, and extraction would cost seconds (the largest real article page in our corpus has
# about 25,000 elements).
MAX_TREE_SIZE = 200_000

# Below this a "text" is a menu or a caption, not an article; the shortest real regulator notices
# (a one-paragraph press statement) run to several hundred characters.
MIN_TEXT_CHARS = 80

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))

LANG_ATTRIBUTE = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlExtraction:
    title: str
    text: str
    summary: str
    date: str | None
    declared_language: str | None


def declared_language(body: bytes) -> str | None:
    match = LANG_ATTRIBUTE.search(body[:4096])
    return match.group(1).decode("ascii").lower()[:2] if match else None


def extract_html(body: bytes | str, url: str | None = None) -> HtmlExtraction | None:
    """Main text and metadata, or None when the page holds no article text."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    try:
        tree = lxml_html.fromstring(raw)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        log.debug("unparseable HTML at %s: %s", url, exc)
        return None
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        with_metadata=True,
        config=_CONFIG,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    if document is None:
        return None
    text = (document.text or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return None
    return HtmlExtraction(
        title=(document.title or "").strip(),
        text=text,
        summary=(document.description or "").strip(),
        date=document.date,
        declared_language=declared_language(raw),
    )
