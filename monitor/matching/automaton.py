"""One Aho-Corasick automaton over every folded term, scanned once per field.

pyahocorasick reports every occurrence of every key as a substring; this module turns those raw
occurrences into term matches: word boundaries on closed ends (none for Chinese), the ``*`` open
ends extended to the whole compound, exact-case checks against the original string, and spans
mapped back to the original.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
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


# NEAR windows are counted in the gap only, and a gap longer than this many characters per
# allowed word is "far" without counting (German compounds average ~12 characters; 40 leaves room
# for URLs and numbers while keeping the check proportional to the window, not the article).
MAX_CHARS_PER_WORD = 40


@dataclass
class Field:
    """A normalized field (title or text)."""

    name: str
    norm: Normalized

    @property
    def original(self) -> str:
        return self.norm.original

    def distance(self, left_end: int, right_start: int, window: int) -> int:
        """Words from a match ending at ``left_end`` to one starting at ``right_start``: 1 when
        adjacent ("data localisation" -> 1), ``window + 1`` when clearly farther than ``window``."""
        gap = right_start - left_end
        if gap <= 0:
            return 0
        if gap > window * MAX_CHARS_PER_WORD:
            return window + 1
        return len(_TOKEN.findall(self.norm.text, left_end, right_start)) + 1


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _build(entries: dict[str, list[tuple[Term, Hashable]]]) -> ahocorasick.Automaton | None:
    if not entries:
        return None
    automaton = ahocorasick.Automaton()
    for key, items in entries.items():
        # Precomputed per key: does every entry need a word boundary on the left / right? Most raw
        # hits of short keys ("us" in "because") are then rejected with two character tests.
        need_left = key[0].isalnum() and all(not t.open_left and not t.cjk for t, _ in items)
        need_right = key[-1].isalnum() and all(not t.open_right and not t.cjk for t, _ in items)
        automaton.add_word(key, (len(key), need_left, need_right, tuple(items)))
    automaton.make_automaton()
    return automaton


class TermIndex:
    """Aho-Corasick automata of folded term keys -> list of (Term, payload).

    Chinese keys live in a second automaton that only runs on text containing CJK characters:
    a thousand distinct first characters at the root would slow every scan of Latin text.
    """

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[Term, Hashable]]] = {}
        self._latin: ahocorasick.Automaton | None = None
        self._cjk: ahocorasick.Automaton | None = None
        self._built = False

    def add(self, term: Term, payload: Hashable) -> None:
        self._entries.setdefault(term.key, []).append((term, payload))
        self._built = False

    def extend(self, items: Iterable[tuple[Term, Hashable]]) -> None:
        for term, payload in items:
            self.add(term, payload)

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return list(self._entries)

    def build(self) -> None:
        latin = {k: v for k, v in self._entries.items() if not _HAS_CJK.search(k)}
        cjk = {k: v for k, v in self._entries.items() if _HAS_CJK.search(k)}
        self._latin = _build(latin)
        self._cjk = _build(cjk)
        self._built = True
        logger.debug("automata built: %d latin keys, %d CJK keys", len(latin), len(cjk))

    def scan(self, fld: Field) -> list[TermMatch]:
        """Every valid term occurrence in ``fld``, in text order."""
        if not self._built:
            self.build()
        text = fld.norm.text
        out: list[TermMatch] = []
        if self._latin is not None:
            self._scan(self._latin, fld, text, out)
        if self._cjk is not None and not text.isascii() and max(text) >= "\u3400":
            self._scan(self._cjk, fld, text, out)
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    @staticmethod
    def _scan(automaton: ahocorasick.Automaton, fld: Field, text: str, out: list[TermMatch]) -> None:
        n = len(text)
        norm = fld.norm
        original = fld.original
        for end_idx, (length, need_left, need_right, entries) in automaton.iter(text):
            end = end_idx + 1
            start = end - length
            if need_left and start > 0 and text[start - 1].isalnum():
                continue
            if need_right and end < n and text[end].isalnum():
                continue
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
                if term.exact_case and not _case_ok(term, norm, start, end):
                    continue
                os_, oe = norm.span(s, e)
                out.append(TermMatch(term, payload, fld.name, s, e, os_, oe, original[os_:oe]))


def _case_ok(term: Term, norm: Normalized, start: int, end: int) -> bool:
    """Exact-case terms compare the original characters of the *key* span (not the extension)."""
    os_, oe = norm.span(start, end)
    return norm.original[os_:oe] == term.text
