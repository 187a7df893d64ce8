"""Makes scraped strings safe for an e-mail: no control characters, no odd links, no header injection.

Scraped titles and texts come from sites we do not control. They are plain text, and stay exactly
what they say: text that looks like a tag (an error message's ``<unknown>``, an article quoting
``<script>`` or ``&lt;script&gt;``) is not deleted but escaped, once, by Jinja2's autoescape in the
HTML digest, and shown as it is in the plain-text one. What is removed is what no reader sees:
control characters and bidirectional overrides (``monitor.controls``), for rows stored before the
crawl started removing them.
"""

from __future__ import annotations

import re

from monitor.controls import has_controls, strip_controls
from monitor.urls import InvalidURL, split_url

_WHITESPACE = re.compile(r"\s+")
# C0/C1 control characters other than whitespace: they have no business in a title or header.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain(value: str | None) -> str:
    """The text as it reads, on one line: control and invisible formatting characters removed,
    whitespace runs made single spaces. Nothing that looks like markup is touched: escaping it is
    the template's job."""
    if not value:
        return ""
    return _WHITESPACE.sub(" ", strip_controls(value))


def one_line(value: str | None) -> str:
    """One line, no control characters: a value with a newline must not start a new header."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def header_value(value: str | None) -> str:
    """Scraped or configured text for a header such as Subject: no control characters, one line."""
    return one_line(plain(value))


def safe_url(value: str | None) -> str | None:
    """The URL if the URL gate (``monitor.urls``) takes it as an absolute http(s) link and it has no
    whitespace, control or invisible formatting characters (a bidi override can make a link read
    as another), else None."""
    if not value or _WHITESPACE.search(value) or _CONTROL.search(value) or has_controls(value):
        return None
    try:
        split_url(value)
    except InvalidURL:
        return None
    return value
