"""Article text from HTML with trafilatura, comments excluded (they are not the regulator's words)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.settings import Document, use_config
from trafilatura.utils import load_html

log = logging.getLogger(__name__)

# trafilatura walks the whole tree; past this many elements a page is a crawler trap, not an
# article, and extraction would cost seconds (the largest real article page in our corpus has
# about 25,000 elements).
MAX_TREE_SIZE = 200_000

# Below this a "text" is a menu or a caption, not an article; the shortest real regulator notices
# (a one-paragraph press statement) run to several hundred characters.
MIN_TEXT_CHARS = 80

# trafilatura's own default; a larger page is a data dump or a trap.
MAX_FILE_SIZE = 20_000_000

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


def _metadata(tree: HtmlElement, url: str | None) -> Document:
    """Title, description and date only: ``with_metadata=True`` also hunts author, site name,
    categories, tags and licence (a quarter of trafilatura's own time on our corpus), none of which
    we keep."""
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001 - trafilatura's JSON-LD parser raises anything; title falls back
        log.debug("JSON-LD metadata unreadable at %s: %s", url, exc)
    if not metadata.title:
        metadata.title = extract_title(tree)
    # The quick search (meta tags, JSON-LD, <time>, URL) dates 179 of the 181 AEB pages at a sixth
    # of the cost of the extensive one (which also copies the tree and scans the text); the
    # extensive search runs only for the rest.
    metadata.date = find_date(tree, url=url, extensive_search=False, original_date=True) or find_date(
        tree, url=url, extensive_search=True, original_date=True
    )
    metadata.clean_and_trim()
    return metadata


def extract_html(body: bytes | str, url: str | None = None) -> HtmlExtraction | None:
    """Main text and metadata, or None when the page holds no article text."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    # One parse, shared by text and metadata: trafilatura decodes the bytes (declared or detected
    # charset) as its own ``extract`` does, and copies the tree before pruning it.
    tree = load_html(raw, MAX_FILE_SIZE)
    if tree is None:
        log.debug("unparseable HTML at %s", url)
        return None
    document = trafilatura.bare_extraction(tree, url=url, include_comments=False, config=_CONFIG)
    # A dict only with as_dict=True, which is not asked for here.
    if document is None or isinstance(document, dict):
        return None
    text = (document.text or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return None
    metadata = _metadata(tree, url)
    return HtmlExtraction(
        title=(metadata.title or "").strip(),
        text=text,
        summary=(metadata.description or "").strip(),
        date=metadata.date,
        declared_language=declared_language(raw),
    )
