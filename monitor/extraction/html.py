"""Article text from HTML with trafilatura, comments excluded (they are not the regulator's words)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
import trafilatura.external
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.settings import Document, use_config
from trafilatura.utils import load_html

from monitor.matching import languages

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


def registry_stoplist() -> tuple[str, ...]:
    """jusText's stop words of the languages the registry detects (monitor/matching/languages.py).

    trafilatura's jusText fallback (pages its own extraction finds unclean or short, 10 of the 181
    AEB pages) uses, when it is given no target language, the stop words of all 100 jusText
    languages: 154,000 words, 28 MB in each extraction worker with the lowercased set jusText
    makes of them. The registry's 20 languages that have a stoplist hold 41,000 of them, and the
    text extracted from all 181 AEB pages is the same with them (F1 0.960 either way). The only
    documented way to choose the stoplist, ``target_language``, would also discard every page
    whose text trafilatura finds in another language, so trafilatura's initialiser is replaced
    instead; it runs the first time the fallback needs it, not before.
    """
    from justext.utils import get_stoplist
    from trafilatura.settings import JUSTEXT_LANGUAGES

    names = sorted({JUSTEXT_LANGUAGES[code] for code in languages.detected_codes() if code in JUSTEXT_LANGUAGES})
    stoplist = tuple(sorted({word for name in names for word in get_stoplist(name)}))
    # trafilatura's annotations are narrower than its values: JT_STOPLIST is inferred from its
    # initial None, and its initialiser says tuple[str] for a tuple of any length.
    trafilatura.external.JT_STOPLIST = stoplist  # type: ignore[assignment]
    return stoplist


trafilatura.external.jt_stoplist_init = registry_stoplist  # type: ignore[assignment]

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
