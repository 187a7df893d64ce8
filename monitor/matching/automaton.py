"""One Aho-Corasick automaton over every folded term, scanned once per field.

pyahocorasick reports every occurrence of every key as a substring; this module turns those raw
occurrences into term matches: word boundaries on closed ends (none for Chinese), the ``*`` open
ends extended to the whole compound, exact-case checks against the original string, and spans
mapped back to the original.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from monitor.matching.normalize import Normalized
from monitor.matching.rules import Term

logger = logging.getLogger(__name__)

# Word tokens for NEAR windows. CJK has no spaces; two characters approximate one word, which is
# the median length of Chinese words in news text.
_TOKEN = re.compile(r"[^\W\u3400-\u9fff]+|[\u3400-\u9fff]{1,2}")


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a term in one field."""

    term: Term
    payload: Any
    field: str
    start: int  # normalized span
    end: int
    ostart: int  # original span
    oend: int
    surface: str  # original text of the span


@dataclass
class Field:
    """A normalized field with lazily computed word positions."""

    name: str
    norm: Normalized
    _token_starts: list[int] | None = field(default=None, repr=False)

    @property
    def original(self) -> str:
        return self.norm.original

    def token_index(self, pos: int) -> int:
        """Index of the word containing or preceding ``pos`` (for NEAR windows)."""
        if self._token_starts is None:
            self._token_starts = [m.start() for m in _TOKEN.finditer(self.norm.text)]
        return bisect.bisect_right(self._token_starts, pos) - 1


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class TermIndex:
    """Aho-Corasick automaton of folded term keys -> list of (Term, payload)."""

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[Term, Hashable]]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, term: Term, payload: Hashable) -> None:
        self._entries.setdefault(term.key, []).append((term, payload))
        self._automaton = None

    def extend(self, items: Iterable[tuple[Term, Hashable]]) -> None:
        for term, payload in items:
            self.add(term, payload)

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return list(self._entries)

    def build(self) -> None:
        automaton = ahocorasick.Automaton()
        for key, entries in self._entries.items():
            automaton.add_word(key, (len(key), tuple(entries)))
        automaton.make_automaton()
        self._automaton = automaton
        logger.debug("automaton built with %d keys", len(self._entries))

    def scan(self, fld: Field) -> list[TermMatch]:
        """Every valid term occurrence in ``fld``, in text order."""
        if self._automaton is None:
            self.build()
        automaton = self._automaton
        assert automaton is not None
        text = fld.norm.text
        original = fld.original
        n = len(text)
        out: list[TermMatch] = []
        for end_idx, (length, entries) in automaton.iter(text):
            start = end_idx - length + 1
            end = end_idx + 1
            # A key that begins or ends with punctuation ("-language", "u.s.") carries its own edge.
            left_ok = start == 0 or not _is_word_char(text[start - 1]) or not _is_word_char(text[start])
            right_ok = end == n or not _is_word_char(text[end]) or not _is_word_char(text[end - 1])
            for term, payload in entries:
                s, e = start, end
                if not term.cjk:
                    if not left_ok:
                        if not term.open_left:
                            continue
                        while s > 0 and _is_word_char(text[s - 1]):
                            s -= 1
                    if not right_ok:
                        if not term.open_right:
                            continue
                        while e < n and _is_word_char(text[e]):
                            e += 1
                os_, oe = fld.norm.span(s, e)
                surface = original[os_:oe]
                if term.exact_case and not _case_ok(term, fld.norm, start, end):
                    continue
                out.append(TermMatch(term, payload, fld.name, s, e, os_, oe, surface))
        out.sort(key=lambda m: (m.start, -m.end))
        return out


def _case_ok(term: Term, norm: Normalized, start: int, end: int) -> bool:
    """Exact-case terms compare the original characters of the *key* span (not the extension)."""
    os_, oe = norm.span(start, end)
    return norm.original[os_:oe] == term.text
