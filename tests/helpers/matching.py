"""The topics a matcher flags in one text: the one-line check that the matching battery tests share."""

from __future__ import annotations

from monitor.matching import Matcher


def flagged(matcher: Matcher, title: str, text: str, lang: str = "en") -> set[str]:
    """The ids of the topics flagged for ``title`` and ``text`` in ``lang``."""
    return {t.topic for t in matcher.match(title, text, lang).topics}
