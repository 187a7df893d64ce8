"""Makes scraped strings safe for an e-mail: no markup, no odd links, no header injection.

Scraped titles and texts come from sites we do not control; every value that reaches the digest
passes through one of these functions before Jinja2's autoescape escapes it once more.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

_WHITESPACE = re.compile(r"\s+")
# C0/C1 control characters other than whitespace: they have no business in a title or header.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain(value: str | None) -> str:
    """Strip any markup (script and style bodies included) and return plain text with single spaces.

    nh3 returns HTML-escaped text; unescaping it yields plain text that the templates escape once,
    so an ``&amp;`` in a title is shown as ``&``, never as ``&amp;amp;``.
    """
    if not value:
        return ""
    cleaned = html.unescape(nh3.clean(value, tags=set()))
    return _WHITESPACE.sub(" ", _CONTROL.sub("", cleaned))


def one_line(value: str | None) -> str:
    """One line, no control characters: a value with a newline must not start a new header."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def header_value(value: str | None) -> str:
    """Scraped or configured text for a header such as Subject: no markup, one line."""
    return one_line(plain(value))


def safe_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) link without whitespace or control characters, else None."""
    if not value or _WHITESPACE.search(value) or _CONTROL.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value
