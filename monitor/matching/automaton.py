"""One Aho-Corasick automaton over every folded term, scanned once per field.

The automaton reports every occurrence of every key as a substring; this module turns those raw
occurrences into term matches: word boundaries on closed ends (none for unspaced scripts), the ``*`` open
ends extended to the whole compound, exact-case checks against the original string, and spans
mapped back to the original.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

import ahocorasick_rs

from monitor.matching import languages
from monitor.matching.normalize import Normalized
from monitor.matching.rules import Term

logger = logging.getLogger(__name__)

# Word tokens for NEAR windows. Unspaced scripts (``languages.unspaced_class()``: Chinese, Japanese,
# Korean) have no spaces; two characters approximate one word, which is the median length of
# Chinese words in news text.
CHARS_PER_UNSPACED_WORD = 2


@lru_cache(maxsize=2)
def _token_re(unspaced: str) -> re.Pattern[str]:
    return re.compile(rf"[^\W{unspaced}]+|[{unspaced}]{{1,{CHARS_PER_UNSPACED_WORD}}}")


# Not frozen: a frozen dataclass's __init__ costs four times as much (object.__setattr__ per
# field), and a page makes thousands of these. Treat them as read-only all the same.
@dataclass(slots=True, unsafe_hash=True)
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


_START = attrgetter("start")
_END = attrgetter("end")

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
        return len(_token_re(languages.unspaced_class()).findall(self.norm.text, left_end, right_start)) + 1


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Gating: an entry may say which gates it opens when its key occurs, and which gate it needs to be
# reported at all (a NEAR condition's terms only matter in a field where the rule's anchor
# occurs: "data" is the context of dozens of rules and occurs on every page, anchors are rare).
Gating = Callable[[Hashable], tuple[tuple[Hashable, ...], Hashable | None]]
_Entry = tuple[Term, Hashable, Hashable | None]  # term, payload, gate needed (None: always)

# Per automaton pattern: does every entry need a word boundary on the left / right, is every
# entry a closed whole-word term (the fast path: no compound extension, no CJK), the entries, the
# gates that every entry needs (None when one needs none), the gates the key opens.
# Precomputed so that most raw hits of short keys ("us" in "because") are rejected with two
# character tests.
_Meta = tuple[bool, bool, bool, tuple[_Entry, ...], frozenset[Hashable] | None, tuple[Hashable, ...]]


def _meta(key: str, items: list[tuple[Term, Hashable]], gating: Gating | None) -> _Meta:
    need_left = key[0].isalnum() and all(not t.open_left and not t.cjk for t, _ in items)
    need_right = key[-1].isalnum() and all(not t.open_right and not t.cjk for t, _ in items)
    entries: list[_Entry] = []
    opens: list[Hashable] = []
    for term, payload in items:
        gate_opens, needs = gating(payload) if gating is not None else ((), None)
        entries.append((term, payload, needs))
        opens.extend(g for g in gate_opens if g not in opens)
    needs_all = None if any(e[2] is None for e in entries) else frozenset(e[2] for e in entries)
    return need_left, need_right, need_left and need_right, tuple(entries), needs_all, tuple(opens)


class TermIndex:
    """One Aho-Corasick automaton (ahocorasick-rs, a Rust DFA) of folded term keys -> list of
    (Term, payload).

    A DFA's speed does not depend on the number of keys or on how many distinct first characters
    they have, so Chinese keys share the automaton with Latin ones (pyahocorasick's trie slowed
    down with both, and needed a second automaton and a CJK test per text).

    ``gating(payload) -> (gates it opens, gate it needs or None)`` lets a scan skip matches that
    no caller can use (see ``TopicMatcher.gating``). A gate opens on any occurrence of the key
    that passes the word-boundary test, a superset of the valid ones, so nothing useful is lost.
    """

    def __init__(self, gating: Gating | None = None) -> None:
        self._entries: dict[str, list[tuple[Term, Hashable]]] = {}
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._meta: list[_Meta] = []
        self._gating = gating
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
        keys = list(self._entries)
        self._meta = [_meta(k, self._entries[k], self._gating) for k in keys]
        # Standard match semantics: every occurrence of every key, overlaps included ("data
        # localisation" and "localisation law" in "data localisation law"). The DFA costs a
        # tenth of a second to build and scans several times faster than the NFAs.
        self._automaton = (
            ahocorasick_rs.AhoCorasick(keys, implementation=ahocorasick_rs.Implementation.DFA) if keys else None
        )
        self._built = True
        logger.debug("automaton built: %d keys", len(keys))

    def scan(self, fld: Field) -> list[TermMatch]:
        """Every valid term occurrence in ``fld``, in text order."""
        if not self._built:
            self.build()
        text = fld.norm.text
        out: list[TermMatch] = []
        if self._automaton is None or not text:
            return out
        n = len(text)
        norm = fld.norm
        linear = norm.pieces is None
        original = fld.original
        name = fld.name
        meta = self._meta
        hits = self._automaton.find_matches_as_indexes(text, overlapping=True)
        opened: set[Hashable] = set()
        if self._gating is not None:
            for idx, start, end in hits:
                opens = meta[idx][5]
                if opens and not (
                    (meta[idx][0] and start > 0 and text[start - 1].isalnum())
                    or (meta[idx][1] and end < n and text[end].isalnum())
                ):
                    opened.update(opens)
        for idx, start, end in hits:
            need_left, need_right, whole_word, entries, needs_all, _opens = meta[idx]
            if needs_all is not None and needs_all.isdisjoint(opened):
                continue
            if need_left and start > 0 and text[start - 1].isalnum():
                continue
            if need_right and end < n and text[end].isalnum():
                continue
            if whole_word:
                # Both key edges are letters or digits and the neighbours are not: only "_" (a
                # word character that is not alphanumeric) can still glue the key into a word.
                if (start > 0 and text[start - 1] == "_") or (end < n and text[end] == "_"):
                    continue
                os_, oe = (start, end) if linear else norm.span(start, end)
                surface = original[os_:oe]
                for term, payload, needs in entries:
                    if (needs is not None and needs not in opened) or (term.exact_case and surface != term.text):
                        continue
                    out.append(TermMatch(term, payload, name, start, end, os_, oe, surface))
                continue
            # A key that begins or ends with punctuation ("-language", "u.s.") carries its own edge.
            left_ok = start == 0 or not _is_word_char(text[start - 1]) or not _is_word_char(text[start])
            right_ok = end == n or not _is_word_char(text[end]) or not _is_word_char(text[end - 1])
            for term, payload, needs in entries:
                if needs is not None and needs not in opened:
                    continue
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
                os_, oe = (s, e) if linear else norm.span(s, e)
                out.append(TermMatch(term, payload, name, s, e, os_, oe, original[os_:oe]))
        # Text order, longest first at one start: two stable C-keyed sorts instead of a Python key.
        out.sort(key=_END, reverse=True)
        out.sort(key=_START)
        return out


def _case_ok(term: Term, norm: Normalized, start: int, end: int) -> bool:
    """Exact-case terms compare the original characters of the *key* span (not the extension)."""
    os_, oe = norm.span(start, end)
    return norm.original[os_:oe] == term.text
