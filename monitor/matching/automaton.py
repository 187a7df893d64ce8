"""Aho-Corasick automata over every folded term, scanned once per field.

The automata report occurrences of the keys as substrings (``projection.py`` says why there are
two); this module turns those raw occurrences into term matches: word boundaries on closed ends
(none for unspaced scripts), the ``*`` open ends extended to the whole compound, exact-case checks
against the original string, and spans mapped back to the original.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick_rs

from monitor.matching import languages, projection
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


class TermMatch(NamedTuple):
    """One occurrence of a term in one field. A tuple: a page makes thousands of these, and
    ``tuple.__new__`` builds one in a third of a dataclass's time."""

    term: Term
    payload: Any
    field: str
    start: int  # normalized span
    end: int
    ostart: int  # original span
    oend: int
    surface: str  # original text of the span


_new_match = tuple.__new__
_START = itemgetter(3)  # TermMatch.start
_END = itemgetter(4)  # TermMatch.end

# NEAR windows are counted in the gap only, and a gap longer than this many characters per
# allowed word is "far" without counting (German compounds average ~12 characters; 40 leaves room
# for URLs and numbers while keeping the check proportional to the window, not the article).
MAX_CHARS_PER_WORD = 40


class Field:
    """A normalized field (title or text)."""

    __slots__ = ("name", "norm", "ascii", "_projection")

    def __init__(self, name: str, norm: Normalized) -> None:
        self.name = name
        self.norm = norm
        self.ascii = norm.text.isascii()
        self._projection: bytes | None = None

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.norm!r})"

    @property
    def original(self) -> str:
        return self.norm.original

    @property
    def projection(self) -> bytes:
        """The boundary projection of the folded text (``projection.project``), made once."""
        made = self._projection
        if made is None:
            made = self._projection = projection.project(self.norm.text)
        return made

    def distance(self, left_end: int, right_start: int, window: int) -> int:
        """Words from a match ending at ``left_end`` to one starting at ``right_start``: 1 when
        adjacent ("data localisation" -> 1), ``window + 1`` when clearly farther than ``window``."""
        gap = right_start - left_end
        if gap <= 0:
            return 0
        if gap > window * MAX_CHARS_PER_WORD:
            return window + 1
        text = self.norm.text
        if self.ascii or text[left_end:right_start].isascii():
            # In ASCII the words are the runs of letters, digits and "_", which the projection
            # keeps between spaces: splitting it is the regex's count at a fraction of the cost.
            return len(self.projection[left_end + 1 : right_start + 1].split()) + 1
        # Counted up to the window only: every caller compares the distance with its window, and
        # a gap in a long Chinese text holds hundreds of two-character words.
        count = 0
        for _ in _token_re(languages.unspaced_class()).finditer(text, left_end, right_start):
            count += 1
            if count >= window:
                return window + 1
        return count + 1


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# The unspaced scripts (Chinese, Japanese, Korean) start at U+2E80: below it no character needs
# the registry's look-up.
_FIRST_UNSPACED = "\u2e80"


@lru_cache(maxsize=8)
def _unspaced_char_re(unspaced: str) -> re.Pattern[str]:
    return re.compile(f"[{unspaced}]")


def _unspaced(ch: str) -> bool:
    """Is ``ch`` a character of an unspaced script? Next to a term written in a spaced script it is
    a word boundary, not part of the word: Chinese glues Latin names to its characters (禁用DeepSeek,
    欧盟GDPR), and there the Latin name is a word of its own."""
    return _unspaced_char_re(languages.unspaced_class()).match(ch) is not None


def _continues(ch: str) -> bool:
    """``_is_word_char`` for a term of a spaced script: an unspaced script's character does not
    continue its word (written out: it runs for every character of a compound's extension)."""
    if ch < _FIRST_UNSPACED:
        return ch.isalnum() or ch == "_"
    return ch.isalnum() and not _unspaced(ch)


# ``\w`` is exactly ``_is_word_char``: letters, digits (str.isalnum) and "_"; a compound extension
# of a spaced-script term stops at an unspaced script's character.
@lru_cache(maxsize=8)
def _word_run(unspaced: str) -> re.Pattern[str]:
    return re.compile(rf"(?:(?![{unspaced}])\w)*")


# Gating: an entry may say which gates it opens when its key occurs, and which gate it needs to be
# reported at all (a NEAR condition's terms only matter in a field where the rule's anchor
# occurs: "data" is the context of dozens of rules and occurs on every page, anchors are rare).
Gating = Callable[[Hashable], tuple[tuple[Hashable, ...], Hashable | None]]
# Sinks: which of the lists that ``scan_sinks`` returns a payload's matches go to, so that callers
# get their own kinds of matches without testing every match's type.
Sink = Callable[[Hashable], int]
# term, payload, gate needed (None: always), sink, the text an exact-case surface must equal (or None)
_Entry = tuple[Term, Hashable, Hashable | None, int, str | None]

# Per key: does every entry need a word boundary on the left / right, is every entry a closed
# whole-word term (the fast path: no compound extension, no CJK), the entries, the gates that
# every entry needs (None when one needs none), the gates the key opens, the gates some entry needs
# (None: none does), the entries that need none, and whether the key's first / last character is
# a word character. Precomputed so that most raw hits of short keys ("us" in "because") are
# rejected with two character tests.
_Meta = tuple[
    bool,
    bool,
    bool,
    tuple[_Entry, ...],
    frozenset[Hashable] | None,
    tuple[Hashable, ...],
    frozenset[Hashable] | None,
    tuple[_Entry, ...],
    bool,
    bool,
]
# A key searched in the projection: its index, where it starts relative to the match of its
# projected pattern (-1, or 0 after a boundary space), its length, and the key itself when a match
# of the pattern does not prove the key (it has punctuation or spaces), else None.
_Member = tuple[int, int, int, str | None]


def _edges(key: str, items: list[tuple[Term, Hashable]]) -> tuple[bool, bool]:
    """Does every entry of ``key`` need a word boundary on its left / right? (What the projected
    pattern of the key is made of; ``_meta`` says the rest, at the key's first hit.)"""
    closed_left = closed_right = True
    for term, _payload in items:
        if term.open_left or term.cjk:
            closed_left = False
        if term.open_right or term.cjk:
            closed_right = False
    return closed_left and key[0].isalnum(), closed_right and key[-1].isalnum()


def _meta(key: str, items: list[tuple[Term, Hashable]], gating: Gating | None, sink: Sink | None, sinks: int) -> _Meta:
    entries: list[_Entry] = []
    opens: list[Hashable] = []
    always: list[_Entry] = []
    gates: set[Hashable] = set()
    for term, payload in items:
        gate_opens, needs = gating(payload) if gating is not None else ((), None)
        to = sink(payload) if sink is not None else 0
        if not 0 <= to < sinks:
            raise ValueError(f"a sink outside 0..{sinks - 1} for {payload!r}")
        entry = (term, payload, needs, to, term.text if term.exact_case else None)
        entries.append(entry)
        if needs is None:
            always.append(entry)
        else:
            gates.add(needs)
        for g in gate_opens:
            if g not in opens:
                opens.append(g)
    need_left, need_right = _edges(key, items)
    needs_all = None if always else frozenset(gates)
    return (
        need_left,
        need_right,
        need_left and need_right,
        tuple(entries),
        needs_all,
        tuple(opens),
        frozenset(gates) if gates else None,
        tuple(always),
        _is_word_char(key[0]),
        _is_word_char(key[-1]),
    )


# What the automata are built from: the native keys' indexes, and per projected pattern the
# members of ``_Member``. A pure function of the keys and their edges, kept in the disk cache.
_Plan = tuple[list[int], list[bytes], list[tuple[_Member, ...]]]


def _plan(keys: list[str], edges: list[tuple[bool, bool]]) -> _Plan:
    native: list[int] = []
    groups: dict[bytes, list[_Member]] = {}
    for i, key in enumerate(keys):
        if not projection.projectable(key):
            native.append(i)
            continue
        left, right = edges[i]
        member = (i, int(left) - 1, len(key), None if projection.exact(key) else key)
        groups.setdefault(projection.pattern(key, left, right), []).append(member)
    return native, list(groups), [tuple(members) for members in groups.values()]


def _cached_plan(keys: list[str], edges: list[tuple[bool, bool]]) -> _Plan:
    from monitor.matching.cache import cached

    digest = hashlib.sha256("\0".join(keys).encode("utf-8", "surrogatepass"))
    digest.update(bytes(2 * left + right for left, right in edges))
    return cached("automaton-plan", digest.digest(), lambda: _plan(keys, edges))


class TermIndex:
    """Aho-Corasick automata (ahocorasick-rs, Rust DFAs) of folded term keys -> list of
    (Term, payload): one over the boundary projection of the text for every key it can hold, one
    over the folded text for the others (Chinese), run only on texts that are not ASCII.

    ``gating(payload) -> (gates it opens, gate it needs or None)`` lets a scan skip matches that
    no caller can use (see ``TopicMatcher.gating``). A gate opens on any occurrence of the key
    that passes the word-boundary test, a superset of the valid ones, so nothing useful is lost.
    ``sink(payload) -> int`` sorts the matches into the ``sinks`` lists of ``scan_sinks``.
    """

    def __init__(self, gating: Gating | None = None, sink: Sink | None = None, sinks: int = 1) -> None:
        self._entries: dict[str, list[tuple[Term, Hashable]]] = {}
        # Keys that cannot be projected (Chinese ...), searched in the folded text itself.
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._native: list[int] = []  # its pattern index -> key index
        # Every other key, searched in the boundary projection (``projection.py``).
        self._projected: ahocorasick_rs.BytesAhoCorasick | None = None
        self._groups: list[tuple[_Member, ...]] = []  # its pattern index -> the keys projected to it
        self._simple: list[_Member | None] = []  # the group's one member, when the pattern proves it
        self._keys: list[str] = []
        self._meta: list[_Meta | None] = []  # per key, made at its first hit (``_meta_of``)
        self._gating = gating
        self._sink = sink
        self._sinks = sinks
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
        self._keys = keys
        # Per-key metadata is made at the key's first hit (``_meta_of``): a text meets a few hundred
        # of the ~10,000 keys, and a one-line ``monitor match`` should not pay for the rest.
        self._meta = [None] * len(keys)
        edges = [_edges(k, self._entries[k]) for k in keys]
        native, patterns, groups = _cached_plan(keys, edges)
        # Standard match semantics: every occurrence of every key, overlaps included ("data
        # localisation" and "localisation law" in "data localisation law"). The two DFAs cost
        # ~50 ms to build and scan faster than the NFAs (the scan is a sixth of a match's time).
        dfa = ahocorasick_rs.Implementation.DFA
        self._native = native
        self._automaton = ahocorasick_rs.AhoCorasick([keys[i] for i in native], implementation=dfa) if native else None
        self._groups = groups
        self._simple = [g[0] if len(g) == 1 and g[0][3] is None else None for g in groups]
        self._projected = ahocorasick_rs.BytesAhoCorasick(patterns, implementation=dfa) if patterns else None
        self._built = True
        logger.debug("automata built: %d keys, %d native, %d projected patterns", len(keys), len(native), len(groups))

    def _meta_of(self, idx: int) -> _Meta:
        """The metadata of key ``idx``, made once (two threads may both make it: the same value)."""
        key = self._keys[idx]
        made = self._meta[idx] = _meta(key, self._entries[key], self._gating, self._sink, self._sinks)
        return made

    def _hits(self, fld: Field) -> list[tuple[int, int, int]]:
        """(end, start, key index) of every occurrence that may pass the boundary test: all
        occurrences of native keys, those of projected keys where their neighbours can be
        boundaries. In the order of one automaton over every key (by end, then start), which the
        order of matches that end up on one span (compounds extended from two keys) depends on."""
        text = fld.norm.text
        hits: list[tuple[int, int, int]] = []
        if self._automaton is not None and not fld.ascii:
            native = self._native
            hits = [(e, s, native[i]) for i, s, e in self._automaton.find_matches_as_indexes(text, overlapping=True)]
        if self._projected is None:
            return hits
        n = len(text)
        groups = self._groups
        simple = self._simple
        append = hits.append
        for pi, ps, _pe in self._projected.find_matches_as_indexes(fld.projection, overlapping=True):
            one = simple[pi]
            if one is not None:  # one key, which the pattern proves
                start = ps + one[1]
                append((start + one[2], start, one[0]))
                continue
            for idx, shift, length, key in groups[pi]:
                start = ps + shift
                if key is not None and (start < 0 or start + length > n or not text.startswith(key, start)):
                    continue
                append((start + length, start, idx))
        hits.sort()  # by end, then start: two keys never share a span, so the index never decides
        return hits

    def scan(self, fld: Field) -> list[TermMatch]:
        """Every valid term occurrence in ``fld``, in text order (with sinks, matches on one
        span come in the order of their sinks)."""
        sinks = self.scan_sinks(fld)
        if len(sinks) == 1:
            return sinks[0]
        out = [m for sink in sinks for m in sink]
        out.sort(key=_END, reverse=True)
        out.sort(key=_START)
        return out

    def scan_sinks(self, fld: Field) -> list[list[TermMatch]]:
        """Every valid term occurrence in ``fld``, one list per sink, each in text order."""
        if not self._built:
            self.build()
        text = fld.norm.text
        sinks: list[list[TermMatch]] = [[] for _ in range(self._sinks)]
        if not text:
            return sinks
        n = len(text)
        norm = fld.norm
        linear = norm.pieces is None
        original = fld.original
        name = fld.name
        meta = self._meta
        hits = self._hits(fld)
        if not hits:
            return sinks
        # In an ASCII text every hit is of a projected key, whose pattern already put a boundary
        # (not a letter, digit or "_") on each side that needs one: no need to look again.
        checked = fld.ascii
        # A letter or digit next to a key glues it into a word, unless it is a character of an
        # unspaced script (``_unspaced``): tested inline, the look-up only for such characters.
        first = _FIRST_UNSPACED
        opened: set[Hashable] = set()
        meta_of = self._meta_of
        if self._gating is not None:
            for end, start, idx in hits:
                m = meta[idx]
                if m is None:
                    m = meta_of(idx)
                opens = m[5]
                if opens:
                    if checked or not (
                        (m[0] and start > 0 and (c := text[start - 1]).isalnum() and (c < first or not _unspaced(c)))
                        or (m[1] and end < n and (c := text[end]).isalnum() and (c < first or not _unspaced(c)))
                    ):
                        opened.update(opens)
        # A key's entries whose gate is open, worked out once per field: "data" is a NEAR term of
        # dozens of rules and occurs dozens of times on a page.
        usable: dict[int, tuple[_Entry, ...]] = {}
        new = _new_match
        for end, start, idx in hits:
            m = meta[idx]
            if m is None:
                m = meta_of(idx)
            need_left, need_right, whole_word, entries, needs_all, _opens, gates, always, word_first, word_last = m
            if needs_all is not None and needs_all.isdisjoint(opened):
                continue
            if not checked and (
                (need_left and start > 0 and (c := text[start - 1]).isalnum() and (c < first or not _unspaced(c)))
                or (need_right and end < n and (c := text[end]).isalnum() and (c < first or not _unspaced(c)))
            ):
                continue
            if gates is None:
                ready = entries
            elif gates.isdisjoint(opened):
                ready = always
            else:
                found = usable.get(idx)
                if found is None:
                    found = usable[idx] = tuple([e for e in entries if e[2] is None or e[2] in opened])
                ready = found
            if whole_word:
                # Both key edges are letters or digits and the neighbours are not: only "_" (a
                # word character that is not alphanumeric) can still glue the key into a word.
                if not checked and ((start > 0 and text[start - 1] == "_") or (end < n and text[end] == "_")):
                    continue
                if linear:
                    surface = original[start:end]
                    for term, payload, _needs, sink, exact in ready:
                        if exact is None or surface == exact:
                            sinks[sink].append(new(TermMatch, (term, payload, name, start, end, start, end, surface)))
                    continue
                os_, oe = norm.span(start, end)
                surface = original[os_:oe]
                for term, payload, _needs, sink, exact in ready:
                    if exact is None or surface == exact:
                        sinks[sink].append(new(TermMatch, (term, payload, name, start, end, os_, oe, surface)))
                continue
            # A key that begins or ends with punctuation ("-language", "u.s.") carries its own edge.
            # (text[start:end] is the key: its own edges are known.)
            left_ok = start == 0 or not word_first or not _continues(text[start - 1])
            right_ok = end == n or not word_last or not _continues(text[end])
            for term, payload, _needs, sink, exact in ready:
                s, e = start, end
                if not term.cjk:
                    if not left_ok:
                        if not term.open_left:
                            continue
                        while s > 0 and _continues(text[s - 1]):
                            s -= 1
                    if not right_ok:
                        if not term.open_right:
                            continue
                        e = _word_run(languages.unspaced_class()).match(text, e).end()  # type: ignore[union-attr]
                if exact is not None and not _case_ok(term, norm, start, end):
                    continue
                os_, oe = (s, e) if linear else norm.span(s, e)
                sinks[sink].append(new(TermMatch, (term, payload, name, s, e, os_, oe, original[os_:oe])))
        # Text order, longest first at one start: two stable C-keyed sorts instead of a Python key.
        # Each sink's list is a subsequence of the one list all matches would make, so sorting it
        # alone gives the same order as sorting them all and splitting.
        for out in sinks:
            if len(out) > 1:
                out.sort(key=_END, reverse=True)
                out.sort(key=_START)
        return sinks


def _case_ok(term: Term, norm: Normalized, start: int, end: int) -> bool:
    """Exact-case terms compare the original characters of the *key* span (not the extension)."""
    os_, oe = norm.span(start, end)
    return norm.original[os_:oe] == term.text
