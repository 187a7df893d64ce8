"""Text normalization for matching, with an offset map back to the original string.

Topic terms and gazetteer names are normalized by the same function as article text, so a term
written ``Übermittlung`` in the watchlist matches ``UEBERMITTLUNG``-free variants such as
``ubermittlung``, ``Übermittlung`` or ``übermittlung``. Every evidence span must point into the
*original* title or text, so the normalized string carries a piecewise map back to it.

The folding, in order, per character: NFKC (full-width forms, ligatures), case folding, accent
stripping, apostrophe and dash unification, non-breaking and other spaces to a plain space, soft
hyphens and zero-width characters removed, Traditional Chinese characters to Simplified.

Speed matters (the matcher runs on every fetched page): the common case is length-preserving and
done with ``str.lower`` plus one ``str.replace`` per distinct non-ASCII character that folds;
characters that change the length (ß, soft hyphen, ligatures, combining marks) take a slower
per-piece path.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.matching import languages

logger = logging.getLogger(__name__)

APOSTROPHES = "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032\uff07\u201b"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DELETED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

# Code-point ranges (inclusive) whose folding we precompute: these, which every script's text
# uses, plus the blocks of the watchlist languages' scripts (``languages.fold_ranges()``: Latin
# accents and ligatures, CJK ideographs and punctuation). Everything else only goes through
# ``str.lower`` (Cyrillic, Greek, Arabic ... are not watchlist languages).
_COMMON_RANGES = (
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, spaces, zero-width
    (0x2100, 0x21FF),  # letterlike symbols
    (0xFEFF, 0xFEFF),  # BOM
    (0xFF00, 0xFFEF),  # full-width ASCII and half-width forms
)


def _t2s_chars() -> dict[str, str]:
    """Character-level Traditional -> Simplified map from opencc's own dictionary.

    Phrase-level conversion would change lengths and break the offset map; terms such as
    Taiwan's 資料 (data) that differ by word, not by character, are listed in the watchlist.
    """
    import opencc  # local import: only needed while the table is built

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            src, targets = parts
            first = targets.split(" ")[0]
            if len(src) == 1 and len(first) == 1:
                table[src] = first
    return table


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    """Full folding of one character (may return 0, 1 or more characters)."""
    if ch in DELETED:
        return ""
    if ch in APOSTROPHES:
        return "'"
    if ch in DASHES:
        return "-"
    if ch in SPACES:
        return " "
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        c = t2s.get(c, c)
        if c in APOSTROPHES:
            c = "'"
        elif c in DASHES:
            c = "-"
        for d in unicodedata.normalize("NFD", c):
            if not unicodedata.combining(d):
                out.append(d)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class _Tables:
    translate: dict[int, str]  # length-preserving folds for the fast path
    special: dict[str, str]  # length-changing folds (0 or >= 2 chars)
    special_re: re.Pattern[str]
    # The character class of ``translate``'s keys: compiled on first use (``_translate_re``), as
    # only Traditional Chinese text needs it and compiling 5,000 characters costs start-up 4 ms.
    translate_class: str
    # The folds whose result is final (not itself folded again), so that applying them one
    # ``str.replace`` at a time gives the same string as one ``str.translate``.
    replace_safe: dict[str, str]
    # The keys of ``special`` as a set: ``set.isdisjoint`` of a dict walks the whole dict, of a
    # set the smaller side (a text's dozen characters).
    special_chars: frozenset[str]
    translate_chars: frozenset[str]  # the keys of ``translate``, as characters
    # Is "Σ" a character the fold looks at (outside the runs ``_skip_re`` describes)? Its
    # lower-case forms then count as the text's (``_distinct_lower``).
    sigma_kept: bool


@lru_cache(maxsize=2)
def _translate_re(char_class: str) -> re.Pattern[str]:
    return re.compile(char_class + "+")


# The tables of the last ranges asked for: ``languages.fold_ranges()`` returns the same tuple
# until a language is registered, so one identity test stands in for hashing it per text.
_last: tuple[tuple[tuple[int, int], ...], _Tables] | None = None


def _tables() -> _Tables:
    global _last
    ranges = languages.fold_ranges()
    last = _last
    if last is not None and last[0] is ranges:
        return last[1]
    tables = _tables_for(ranges)
    _last = (ranges, tables)
    return tables


@lru_cache(maxsize=2)
def _tables_for(script_ranges: tuple[tuple[int, int], ...]) -> _Tables:
    # Keyed by the ranges, so a language registered at run time (tests) gets its own tables; on
    # disk also by opencc's dictionary, whose Traditional -> Simplified map goes into them.
    from monitor.matching.cache import cached

    key = repr(script_ranges).encode() + b"\0" + _opencc_stamp()
    return cached("fold-tables", key, lambda: _build_tables(script_ranges))


def _opencc_stamp() -> bytes:
    """Which opencc dictionary is installed, without importing opencc (a cache key)."""
    import importlib.util

    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        return b"no-opencc"
    package = Path(spec.origin).parent
    parts = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(package.rglob("*.txt"))]
    return "|".join(parts).encode() or str(Path(spec.origin).stat().st_mtime_ns).encode()


def _build_tables(script_ranges: tuple[tuple[int, int], ...]) -> _Tables:
    t2s = _t2s_chars()
    translate: dict[int, str] = {}
    special: dict[str, str] = {}
    ranges = sorted(_COMMON_RANGES + script_ranges)
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            folded = _fold_char(ch, t2s)
            if len(folded) == 1:
                if folded != ch:
                    translate[cp] = folded
            else:
                special[ch] = folded
    # ``str.lower`` changes the length of a few characters (U+0130 "İ"); route them to the slow path.
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            if len(chr(cp).lower()) != 1:
                special.setdefault(chr(cp), _fold_char(chr(cp), t2s))
    special_re = re.compile(_char_class(special))
    # Runs of characters that the fold changes; everything else (ASCII after lower(), Cyrillic,
    # Simplified Chinese) is left alone without a Python callback.
    translate_class = _char_class(chr(cp) for cp in translate)
    replace_safe = {chr(cp): t for cp, t in translate.items() if ord(t) not in translate}
    logger.debug("normalization tables: %d translations, %d special", len(translate), len(special))
    translate_chars = frozenset(chr(cp) for cp in translate)
    sigma_kept = _skip_re(translate, special).fullmatch("\u03a3") is None
    return _Tables(
        translate, special, special_re, translate_class, replace_safe, frozenset(special), translate_chars, sigma_kept
    )


# The characters the fold must look at are those outside the runs of this many or more code
# points that neither fold nor lower-case into one that folds (``_skip_re``). The fold looks at a
# superset, every non-ASCII character of the text (``_non_ascii``), which gives the same result;
# the runs still decide one thing, whether "Σ" is looked at (``_Tables.sigma_kept``).
_MIN_SKIP_RUN = 64


def _skip_re(translate: dict[int, str], special: dict[str, str]) -> re.Pattern[str]:
    # Only the BMP is checked: every fold lives there, and no character above it lower-cases into it.
    attention = set(translate) | {ord(c) for c in special}
    for cp in range(0x80, 0x10000):
        if cp not in attention and any(ord(c) in translate for c in chr(cp).lower()):
            attention.add(cp)
    attention.update(range(0xD800, 0xE000))  # surrogates cannot stand in a pattern
    ranges: list[tuple[int, int]] = []
    lo: int | None = None
    for cp in range(0x10001):
        if cp < 0x10000 and cp not in attention:
            if lo is None:
                lo = cp
            continue
        if lo is not None and (cp - lo >= _MIN_SKIP_RUN or lo == 0):
            ranges.append((lo, cp - 1))
        lo = None
    ranges.append((0x10000, 0x10FFFF))
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]+")


def _char_class(chars: object) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"  # type: ignore[call-overload]  # sorted() of a str set: typeshed's overloads miss it


@dataclass(frozen=True)
class Normalized:
    """A folded string plus the map from its positions back to the original string.

    ``pieces`` is None when the fold preserved every position (the common case). Otherwise it is a
    sorted list of (norm_start, norm_end, orig_start, orig_end) pieces that are either linear
    (same length on both sides) or one original character that became 0 or several characters.
    """

    text: str
    original: str
    pieces: tuple[tuple[int, int, int, int], ...] | None = None

    @property
    def _starts(self) -> list[int]:
        cached = self.__dict__.get("_starts_cache")
        if cached is None:
            cached = [p[0] for p in self.pieces or ()]
            object.__setattr__(self, "_starts_cache", cached)
        return cached

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the original string."""
        pieces = self.pieces
        if pieces is None:
            return start, end
        # The piece holding ``start``, then the one holding the last character (a page with one
        # "ß" maps every match through here).
        starts = self._starts
        idx = bisect.bisect_right(starts, start) - 1
        while idx > 0 and not (pieces[idx][0] <= start < pieces[idx][1]):
            idx -= 1
        n0, n1, o0, o1 = pieces[max(idx, 0)]
        ostart = o0 + (start - n0) if n1 - n0 == o1 - o0 else o0
        last = max(end - 1, start)
        idx = bisect.bisect_right(starts, last) - 1
        while idx > 0 and not (pieces[idx][0] <= last < pieces[idx][1]):
            idx -= 1
        n0, n1, o0, o1 = pieces[max(idx, 0)]
        oend = o0 + (end - n0) if n1 - n0 == o1 - o0 else o1
        return ostart, oend


# Up to this many distinct characters to fold (accents, curly quotes, dashes: a European text has
# a dozen), one C-speed ``str.replace`` per character beats one regex pass with a Python callback
# per run; Traditional Chinese text, with hundreds, takes the regex pass.
MAX_REPLACES = 24


def _distinct_lower(chars: set[str], tables: _Tables) -> set[str]:
    """Characters that ``str.lower`` makes of ``chars`` anywhere in a text (final sigma is the one
    contextual case, counted where Σ is a character the fold looks at: ``sigma_kept``)."""
    out = set("".join(chars).lower())
    if "\u03a3" in chars and tables.sigma_kept:
        out.update("\u03c3\u03c2")
    return out


_ASCII = bytes(range(0x80))


def _non_ascii(s: str) -> set[str]:
    """The characters of ``s`` outside ASCII: a superset of those the fold looks at (see
    ``_MIN_SKIP_RUN``). Two C passes over UTF-8 (delete the ASCII bytes, decode the rest) instead of
    a regex over the text: a European text is 95 % ASCII."""
    return set(s.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))


def _fold_fast(s: str, tables: _Tables, chars: set[str] | None = None) -> str:
    """Length-preserving fold; ``chars``: the characters of ``s`` the fold looks at (a superset
    will do, such as ``_non_ascii(s)``) if known."""
    low = s.lower()
    if low.isascii():
        return low
    if chars is None:
        chars = _non_ascii(s)
    # The characters outside those the fold looks at neither fold nor lower-case into one that
    # folds, so a superset of ``chars`` gives the same ``todo``. In any order: every replacement in
    # ``replace_safe`` is final, so the order changes nothing.
    todo = _distinct_lower(chars, tables) & tables.translate_chars
    if not todo:
        return low
    safe = tables.replace_safe
    if len(todo) <= MAX_REPLACES and all(c in safe for c in todo):
        for c in todo:
            low = low.replace(c, safe[c])
        return low
    table = tables.translate
    return _translate_re(tables.translate_class).sub(lambda m: m.group().translate(table), low)


def _normalized(text: str, original: str, pieces: tuple[tuple[int, int, int, int], ...] | None) -> Normalized:
    """``Normalized(text, original, pieces)`` without the frozen dataclass's three
    ``object.__setattr__`` calls: every title and text makes one. Same object."""
    made = _new_object(Normalized)
    made.__dict__.update(text=text, original=original, pieces=pieces)
    return made


_new_object = object.__new__


def normalize(s: str) -> Normalized:
    """Fold ``s`` for matching and keep the way back to original offsets."""
    tables = _tables()
    if s.isascii():
        return _normalized(s.lower(), s, None)
    chars = _non_ascii(s)
    if chars.isdisjoint(tables.special_chars):
        return _normalized(_fold_fast(s, tables, chars), s, None)
    # Characters that change the length (ellipsis, fractions, ß, soft hyphen): fold the whole text
    # in one go, then splice in their folds, piece by piece. (The fold keeps their positions
    # unless ``str.lower`` itself changes a length, as for "İ": then fold chunk by chunk.)
    whole = _fold_fast(s, tables, chars)
    linear = len(whole) == len(s)
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    npos = 0
    opos = 0
    for m in tables.special_re.finditer(s):
        if m.start() > opos:
            chunk = whole[opos : m.start()] if linear else _fold_fast(s[opos : m.start()], tables, chars)
            parts.append(chunk)
            pieces.append((npos, npos + len(chunk), opos, m.start()))
            npos += len(chunk)
        rep = tables.special[m.group()]
        parts.append(rep)
        pieces.append((npos, npos + len(rep), m.start(), m.end()))
        npos += len(rep)
        opos = m.end()
    if opos < len(s):
        chunk = whole[opos:] if linear else _fold_fast(s[opos:], tables, chars)
        parts.append(chunk)
        pieces.append((npos, npos + len(chunk), opos, len(s)))
    return Normalized("".join(parts), s, tuple(pieces))


def fold(s: str) -> str:
    """The folded form alone (watchlist terms, gazetteer names)."""
    return normalize(s).text


def warm_up() -> None:
    """Build the folding tables now rather than on the first article."""
    _tables()
