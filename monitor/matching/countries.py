"""Jurisdiction tagging: which countries (and the EU) a text mentions, and which it is about.

Steps: automaton matches -> filters (capitalisation, all-caps headlines, personal names) ->
longest match wins (Papua New Guinea over Guinea, Bank of America over America) -> demonyms used
as language names dropped ("German translation") -> ambiguous surfaces resolved by context
(Georgia, Brussels, Luxembourg, =AP, ICO ...) -> salience from position and frequency -> focus.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from monitor.matching import languages
from monitor.matching.automaton import Field, TermIndex, TermMatch
from monitor.matching.gazetteer import Cue, LanguageNoun, Place, build_gazetteer
from monitor.matching.normalize import normalize
from monitor.matching.result import CountryHit
from monitor.matching.rules import Term
from monitor.matching.watchlist import CountryLexicon, load_watchlist

logger = logging.getLogger(__name__)

# Salience weights: a headline mention says what the story is about far more than a passing
# mention in paragraph six; the lead (first ~2 sentences) sits in between.
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
BODY_WEIGHT = 1.0
LEAD_CHARS = 300
# A regulator or a law is the actor of most stories we monitor: weight it above a passing name.
INSTITUTION_FACTOR = 1.5
# Focus: every jurisdiction with at least this share of the top jurisdiction's weight. 0.5 keeps
# the two sides of "EU-US data flows" and drops the country mentioned once in passing.
FOCUS_RATIO = 0.5
# Words between a demonym and a language noun: 3 covers "German and French translations".
LANGUAGE_NOUN_WINDOW = 3
# A line with this share of upper-case letters is an all-caps headline: "LET US KNOW".
ALL_CAPS_SHARE = 0.8

_WORD_BEFORE = re.compile(r"([^\W\d_][\w'.-]*)([ \t]+)$")
_WORD_AFTER = re.compile(r"^([ \t]+)([^\W\d_][\w'-]*)")


@dataclass
class _Mention:
    fld: Field
    match: TermMatch
    place: Place
    code: str | None = None


# ASCII letters counted with bytes.translate (C speed; a line can be a 5,000-character paragraph
# and a page can have dozens of "US" in it).
_NOT_LOWER = bytes(b for b in range(256) if not 0x61 <= b <= 0x7A)
_NOT_UPPER = bytes(b for b in range(256) if not 0x41 <= b <= 0x5A)


def _in_caps_line(original: str, start: int, end: int) -> bool:
    """Is the match inside an all-caps line ("LET US KNOW")? Only the line is looked at, so an
    all-caps headline glued above the body does not hide "US" in the body."""
    lo = original.rfind("\n", 0, start) + 1
    hi = original.find("\n", end)
    line = original[lo : hi if hi >= 0 else len(original)]
    ascii_line = line.encode("ascii", "ignore")
    upper = len(ascii_line.translate(None, _NOT_UPPER)) - (end - start)
    lower = len(ascii_line.translate(None, _NOT_LOWER))
    return upper >= 6 and upper >= ALL_CAPS_SHARE * (upper + lower)


def _looks_like_person(original: str, start: int, end: int, function_words: frozenset[str]) -> bool:
    """ "Michael Jordan", "Jim Jordan", "Chad Smith": a capitalised neighbour name joined by a space.
    Capitalised ``function_words`` start sentences and headlines ("In Jordan", "For Chad")."""
    before = _WORD_BEFORE.search(original[max(0, start - 40) : start])
    if before and before.group(2) == " ":
        word = before.group(1)
        if word[:1].isupper() and not word.isupper() and word.lower() not in function_words and not word.endswith("."):
            return True
    after = _WORD_AFTER.search(original[end : end + 40])
    if after and after.group(1) == " ":
        word = after.group(2)
        if word[:1].isupper() and not word.isupper() and word.lower() not in function_words:
            return True
    return False


class CountryMatcher:
    """Gazetteer matcher; immutable after construction, so thread-safe for reads."""

    def __init__(self, lexicon: CountryLexicon) -> None:
        self.lexicon = lexicon
        self._items = build_gazetteer(lexicon)
        self._caps_unsafe = {s.casefold() for s in lexicon.caps_unsafe}
        self._preps = set(lexicon.language_preps)
        self._function_words = languages.function_words()
        self._index: TermIndex | None = None

    @classmethod
    def from_file(cls, path: Path) -> CountryMatcher:
        matcher = cls(load_watchlist(Path(path)).countries)
        matcher._index = TermIndex()
        matcher._index.extend(matcher.index_items())
        matcher._index.build()
        return matcher

    def index_items(self) -> list[tuple[Term, Hashable]]:
        return list(self._items)

    def match(self, title: str, text: str, language: str | None = None) -> list[CountryHit]:
        """Every jurisdiction mentioned, most salient first; ``focus`` marks what the text is about."""
        if self._index is None:
            self._index = TermIndex()
            self._index.extend(self.index_items())
            self._index.build()
        fields = [Field("title", normalize(title or "")), Field("text", normalize(text or ""))]
        return self.evaluate([(f, self._index.scan(f)) for f in fields], language)

    def evaluate(self, fields: list[tuple[Field, list[TermMatch]]], language: str | None = None) -> list[CountryHit]:
        """Matches of the shared automaton (other payloads ignored) -> country hits."""
        mentions: list[_Mention] = []
        cues: dict[tuple[int, int], list[tuple[Field, TermMatch]]] = defaultdict(list)
        for fld, matches in fields:
            lang_nouns: list[TermMatch] = []
            candidates: list[_Mention] = []
            for m in matches:
                p = m.payload
                if isinstance(p, Place):
                    if self._keep(fld, m, p):
                        candidates.append(_Mention(fld, m, p))
                elif isinstance(p, Cue):
                    cues[(p.resolver, p.case)].append((fld, m))
                elif isinstance(p, LanguageNoun):
                    lang_nouns.append(m)
            for mention in self._longest(candidates):
                if mention.place.kind == "block":
                    continue
                if mention.place.kind == "demonym" and self._is_language(fld, mention.match, lang_nouns):
                    continue
                mention.code = mention.place.code
                mentions.append(mention)
        mentioned = {m.code for m in mentions if m.place.resolver < 0}
        for mention in mentions:
            if mention.place.resolver >= 0:
                mention.code = self._resolve(mention, cues, mentioned)
        return self._aggregate([m for m in mentions if m.code])

    def _keep(self, fld: Field, m: TermMatch, p: Place) -> bool:
        first = m.surface[:1]
        if p.capitalized and first.isalpha() and not first.isupper():
            return False
        if m.term.exact_case and m.term.key in self._caps_unsafe and _in_caps_line(fld.original, m.ostart, m.oend):
            return False
        if p.person and _looks_like_person(fld.original, m.ostart, m.oend, self._function_words):
            return False
        return True

    @staticmethod
    def _longest(candidates: list[_Mention]) -> list[_Mention]:
        """Longest match first, then leftmost; overlapping shorter matches are dropped."""
        chosen: list[tuple[int, int]] = []
        out: list[_Mention] = []
        for c in sorted(candidates, key=lambda c: (c.match.start - c.match.end, c.match.start)):
            s, e = c.match.start, c.match.end
            i = bisect.bisect_left(chosen, (s, e))
            if i > 0 and chosen[i - 1][1] > s:
                continue
            if i < len(chosen) and chosen[i][0] < e:
                continue
            chosen.insert(i, (s, e))
            out.append(c)
        out.sort(key=lambda c: c.match.start)
        return out

    def _is_language(self, fld: Field, m: TermMatch, lang_nouns: list[TermMatch]) -> bool:
        window = LANGUAGE_NOUN_WINDOW
        for noun in lang_nouns:
            if noun.start >= m.end and fld.distance(m.end, noun.start, window) <= window:
                return True  # "German translation", "Chinese-language"
            if noun.end <= m.start and fld.distance(noun.end, m.start, window) <= window:
                return True  # "versión en español", "traduction en français"
        before = _WORD_BEFORE.search(fld.norm.text[max(0, m.start - 30) : m.start])
        if before and before.group(1) in self._preps:
            rest = fld.norm.text[m.end : m.end + 30]
            if _WORD_AFTER.search(rest) is None:
                return True  # "translated into German." -- not "from German regulators"
        return False

    def _resolve(
        self,
        mention: _Mention,
        cues: dict[tuple[int, int], list[tuple[Field, TermMatch]]],
        mentioned: set[str | None],
    ) -> str | None:
        resolver = self.lexicon.resolvers[mention.place.resolver]
        for ci, case in enumerate(resolver.cases):
            if case.if_mentioned is not None and case.if_mentioned in mentioned:
                return case.code
            for fld, cue in cues.get((mention.place.resolver, ci), ()):
                if case.window is None:
                    return case.code
                if fld is mention.fld:
                    a, b = sorted((mention.match, cue), key=lambda x: x.start)
                    if fld.distance(a.end, b.start, case.window) <= case.window:
                        return case.code
        return resolver.default

    @staticmethod
    def _aggregate(mentions: list[_Mention]) -> list[CountryHit]:
        weight: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        surfaces: dict[str, list[str]] = defaultdict(list)
        first: dict[str, tuple[int, int]] = {}
        for m in mentions:
            code = m.code
            assert code is not None
            if m.fld.name == "title":
                w = TITLE_WEIGHT
            elif m.match.ostart < LEAD_CHARS:
                w = LEAD_WEIGHT
            else:
                w = BODY_WEIGHT
            if m.place.kind == "institution":
                w *= INSTITUTION_FACTOR
            weight[code] += w
            count[code] += 1
            if m.match.surface not in surfaces[code]:
                surfaces[code].append(m.match.surface)
            first.setdefault(code, (0 if m.fld.name == "title" else 1, m.match.start))
        if not weight:
            return []
        total = sum(weight.values())
        top = max(weight.values())
        order = sorted(weight, key=lambda c: (-weight[c], first[c]))
        return [
            CountryHit(c, count[c], round(weight[c] / total, 3), weight[c] >= FOCUS_RATIO * top, surfaces[c])
            for c in order
        ]
