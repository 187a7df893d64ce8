"""The topics a matcher flags in one text, and the two tests every battery round's module runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from monitor.matching import Matcher


def flagged(matcher: Matcher, title: str, text: str, lang: str = "en") -> set[str]:
    """The ids of the topics flagged for ``title`` and ``text`` in ``lang``."""
    return {t.topic for t in matcher.match(title, text, lang).topics}


def round_tests(
    cases: Sequence[tuple[str, str, str, str]], traps: Sequence[tuple[str, str, str]]
) -> tuple[Callable[..., None], Callable[..., None]]:
    """A round's two tests, bound by the module to its own names: each case (lang, title, text,
    topic) flags its topic, and each trap (lang, title, text) beside it flags nothing."""

    @pytest.mark.parametrize(("lang", "title", "text", "topic"), cases)
    def classes_flag(matcher: Matcher, lang: str, title: str, text: str, topic: str) -> None:
        assert topic in flagged(matcher, title, text, lang)

    @pytest.mark.parametrize(("lang", "title", "text"), traps)
    def traps_do_not(matcher: Matcher, lang: str, title: str, text: str) -> None:
        assert flagged(matcher, title, text, lang) == set()

    return classes_flag, traps_do_not
