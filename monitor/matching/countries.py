"""Jurisdiction tagging: which countries (and the EU) a text mentions, and which it is about.

Steps: automaton matches -> filters (capitalisation, all-caps headlines, personal names) ->
longest match wins (Papua New Guinea over Guinea, Bank of America over America) -> demonyms used
as language names dropped ("German translation", "in English, French and German") -> ambiguous
surfaces resolved by context (Georgia, Brussels, Luxembourg, =AP, ICO ...) -> each mention's role
(the actor, a transfer's third country, a nationality, "will not apply in X", a law cited) ->
salience from position, frequency and role -> focus, the jurisdictions the story is about.

Focus (``CountryHit.focus``): a jurisdiction named in the title, next to an actor word ("the
Austrian DPA", "court in Munich") or by an authority in the title or lead is a subject, and so is a
third country that receives a transfer ("transferred to the US"); others are subjects when they
weigh at least ``FOCUS_RATIO`` of the heaviest. A nationality ("the Austrian activist") and
"will not apply in X" weigh nothing; a law (GDPR) or a city weighs less than a name. The EU is not
a subject merely as the frame of a member state's decision (its law, its court's case-law).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import pickle
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from pathlib import Path

from monitor.matching import languages
from monitor.matching.automaton import Field, TermIndex, TermMatch
from monitor.matching.gazetteer import Cue, LanguageNoun, Place, SubjectCue, build_gazetteer
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
# A law frames a story ("under the GDPR"); a city is where it happens: both weigh less than a name.
LAW_FACTOR = 0.5
PLACE_FACTOR = 0.5
# Added once to a jurisdiction with a subject signal (title, actor, transfer destination), so that
# subjects sort before jurisdictions that are only mentioned often.
SUBJECT_BONUS = 2.0
# Words between a jurisdiction and an actor word: 2 covers "the Dutch privacy regulator", "DPA of Greece".
ACTOR_WINDOW = 2
# Words between a demonym and a person noun: 2 covers "the Austrian privacy activist".
PERSON_WINDOW = 2
# Words from a transfer word to its destination: 8 covers "transfer of personal data to a processor
# in China"; after the destination, 3 covers "US transfers", "EU-US Data Privacy Framework".
DESTINATION_WINDOW = 8
DESTINATION_AFTER_WINDOW = 3
# Words from "will not apply in" / "except" to the jurisdiction it excludes.
NOT_SUBJECT_WINDOW = 3
# The EEA: a transfer to one of these is no third-country transfer, and the EU frames their
# decisions (GDPR) without being their subject.
EEA = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())
# Words between a demonym and a language noun: 3 covers "German and French translations".
LANGUAGE_NOUN_WINDOW = 3
# What joins the items of a list of language names: "English, French and German".
_LIST_JOIN = re.compile(
    r"^(?:\s*[,;/、]\s*|\s*,?\s+(?:and|or|und|oder|et|ou|y|o|e|en|of|as well as)\s+|\s*[和与及]\s*)$"
)
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
    role: str = ""  # actor, agent (an actor after the lead), destination, nationality, excluded, law, or ""


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
        # pycountry's names in every locale, parsed: a pure function of the lexicon, so cached.
        from monitor.matching.cache import cached

        key = hashlib.sha256(pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        self._items = cached("gazetteer", key, lambda: build_gazetteer(lexicon))
        self._caps_unsafe = {s.casefold() for s in lexicon.caps_unsafe}
        self._preps = set(lexicon.language_preps)
        self._function_words = languages.function_words()
        self._state_context = tuple(t.key for t in lexicon.subject.get("state_context", ()))
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

    def match(
        self, title: str, text: str, language: str | None = None, jurisdiction: str | None = None
    ) -> list[CountryHit]:
        """Every jurisdiction mentioned, subjects and most salient first; ``focus`` marks what the
        text is about. ``jurisdiction`` (the source's own) is the subject of a text that names none."""
        if self._index is None:
            self._index = TermIndex()
            self._index.extend(self.index_items())
            self._index.build()
        fields = [Field("title", normalize(title or "")), Field("text", normalize(text or ""))]
        return self.evaluate([(f, self._index.scan(f)) for f in fields], language, jurisdiction)

    def evaluate(
        self,
        fields: list[tuple[Field, list[TermMatch]]],
        language: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[CountryHit]:
        """Matches of the shared automaton (other payloads ignored) -> country hits."""
        mentions: list[_Mention] = []
        cues: dict[tuple[int, int], list[tuple[Field, TermMatch]]] = defaultdict(list)
        subject_cues: dict[tuple[str, str], list[TermMatch]] = defaultdict(list)
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
                elif isinstance(p, SubjectCue):
                    subject_cues[(fld.name, p.kind)].append(m)
            kept = [c for c in self._longest(candidates) if c.place.kind != "block"]
            languages_ = self._language_demonyms(fld, kept, lang_nouns)
            for mention in kept:
                if id(mention) in languages_:
                    continue
                mention.code = mention.place.code
                mentions.append(mention)
        mentioned = {m.code for m in mentions if m.place.resolver < 0 and m.place.kind != "self"}
        for mention in mentions:
            if mention.place.resolver >= 0:
                mention.code = self._resolve(mention, cues, mentioned)
        mentions = [m for m in mentions if m.code]
        mentions = self._self_references(mentions, fields)
        for mention in mentions:
            mention.role = self._role(mention, subject_cues)
        return self._with_fallback(self._aggregate(mentions), jurisdiction)

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

    def _language_demonyms(self, fld: Field, mentions: list[_Mention], lang_nouns: list[TermMatch]) -> set[int]:
        """ids of the demonym mentions that name languages. The items of a list ("in English,
        French and German", "German and French translations") are languages together."""
        out: set[int] = set()
        chain: list[_Mention] = []
        for mention in [*mentions, None]:
            if mention is not None and mention.place.kind == "demonym":
                if chain and _LIST_JOIN.match(fld.norm.text[chain[-1].match.end : mention.match.start]):
                    chain.append(mention)
                    continue
            if chain and self._is_language_list(fld, chain, lang_nouns):
                out.update(id(m) for m in chain)
            chain = [mention] if mention is not None and mention.place.kind == "demonym" else []
        return out

    def _is_language_list(self, fld: Field, chain: list[_Mention], lang_nouns: list[TermMatch]) -> bool:
        window = LANGUAGE_NOUN_WINDOW
        for mention in chain:
            m = mention.match
            for noun in lang_nouns:
                if noun.start >= m.end and fld.distance(m.end, noun.start, window) <= window:
                    return True  # "German translation", "Chinese-language"
                if noun.end <= m.start and fld.distance(noun.end, m.start, window) <= window:
                    return True  # "versión en español", "traduction en français"
        first, last = chain[0].match, chain[-1].match
        before = _WORD_BEFORE.search(fld.norm.text[max(0, first.start - 30) : first.start])
        if before and before.group(1) in self._preps:
            rest = fld.norm.text[last.end : last.end + 30]
            if _WORD_AFTER.search(rest) is None:
                return True  # "translated into German." -- not "from German regulators"
        return False

    @staticmethod
    def _near(fld: Field, cues: list[TermMatch], m: TermMatch, before: int, after: int) -> bool:
        """Is a cue at most ``before`` words before the match, or ``after`` words after it?"""
        if not cues:
            return False
        i = bisect.bisect_left(cues, m.start, key=lambda c: c.start)
        j = i - 1
        while before and j >= 0 and m.start - cues[j].start <= (before + 8) * 40:
            c = cues[j]
            if c.end <= m.start and fld.distance(c.end, m.start, before) <= before:
                return True
            j -= 1
        j = i
        while after and j < len(cues) and cues[j].start - m.end <= after * 40:
            c = cues[j]
            if c.start >= m.end and fld.distance(m.end, c.start, after) <= after:
                return True
            j += 1
        return False

    def _role(self, mention: _Mention, subject_cues: dict[tuple[str, str], list[TermMatch]]) -> str:
        """What the mention says about its jurisdiction's place in the story."""
        fld, m, kind = mention.fld, mention.match, mention.place.kind

        def near(cue_kind: str, before: int, after: int) -> bool:
            return self._near(fld, subject_cues.get((fld.name, cue_kind), []), m, before, after)

        if near("not_subject", NOT_SUBJECT_WINDOW, 0):
            return "excluded"
        if kind == "demonym" and near("persons", 0, PERSON_WINDOW):
            return "nationality"
        if kind == "law":
            return "law"
        # The story's actor is introduced in its title or lead; an authority cited further down
        # ("the French DPA had ruled the same") is context, weighed as an institution.
        early = fld.name == "title" or m.ostart < LEAD_CHARS
        if kind == "institution" or near("actors", ACTOR_WINDOW, ACTOR_WINDOW):
            return "actor" if early else "agent"
        if mention.code in EEA or mention.code == "EU":
            return ""
        if near("destinations", DESTINATION_WINDOW, DESTINATION_AFTER_WINDOW):
            return "destination"
        if near("locations", DESTINATION_WINDOW, 0):
            return "destination"  # "a processor located in India", "servers in the US"
        return ""

    def _self_references(self, mentions: list[_Mention], fields: list[tuple[Field, list[TermMatch]]]) -> list[_Mention]:
        """国家 ("the state") is China only in a policy text that names no other jurisdiction."""
        if not any(m.place.kind == "self" for m in mentions):
            return mentions
        others = [m for m in mentions if m.place.kind != "self"]
        if others:
            return others
        policy = any(key in fld.norm.text for fld, _ in fields for key in self._state_context)
        return mentions if policy else []

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
        subject: set[str] = set()
        plain: set[str] = set()  # has a mention that can make it a subject by weight (not only laws)
        for m in mentions:
            code = m.code
            assert code is not None
            in_title = m.fld.name == "title"
            if in_title:
                w = TITLE_WEIGHT
            elif m.match.ostart < LEAD_CHARS:
                w = LEAD_WEIGHT
            else:
                w = BODY_WEIGHT
            kind = m.place.kind
            if m.role in ("nationality", "excluded"):
                w = 0.0
            elif m.role == "law":
                w *= LAW_FACTOR
            elif kind == "institution" or m.role == "agent":
                w *= INSTITUTION_FACTOR
            elif kind == "place" and not in_title:
                w *= PLACE_FACTOR
            if m.role in ("actor", "destination") or (in_title and w > 0 and m.role != "law"):
                subject.add(code)
            if w > 0 and m.role != "law":
                plain.add(code)
            weight[code] += w
            count[code] += 1
            if m.match.surface not in surfaces[code]:
                surfaces[code].append(m.match.surface)
            first.setdefault(code, (0 if in_title else 1, m.match.start))
        if not weight:
            return []
        for code in subject:
            weight[code] += SUBJECT_BONUS
        top = max(weight.values())
        focus = set(subject)
        # The EU frames a member state's decision (its law, its court's case-law): not its subject
        # unless an EU body acts in the story.
        framed = "EU" not in subject and any(c in EEA for c in subject)
        for code, w in weight.items():
            if w > 0 and w >= FOCUS_RATIO * top and (code in plain or not subject) and not (code == "EU" and framed):
                focus.add(code)
        total = sum(weight.values()) or 1.0
        order = sorted(weight, key=lambda c: (c not in focus, -weight[c], first[c]))
        return [CountryHit(c, count[c], round(weight[c] / total, 3), c in focus, surfaces[c]) for c in order]

    @staticmethod
    def _with_fallback(hits: list[CountryHit], jurisdiction: str | None) -> list[CountryHit]:
        """A text that names no subject is about its source's jurisdiction (mentions=0 if unnamed)."""
        if not jurisdiction or any(h.focus for h in hits):
            return hits
        for i, hit in enumerate(hits):
            if hit.code == jurisdiction:
                return [replace(hit, focus=True), *hits[:i], *hits[i + 1 :]]
        return [CountryHit(jurisdiction, 0, 0.0, True, []), *hits]
