"""Jurisdiction tagging: which countries (and the EU) a text mentions, and which it is about.

Steps: automaton matches -> filters (capitalisation, all-caps headlines, personal names) ->
longest match wins (Papua New Guinea over Guinea, Bank of America over America) -> demonyms used
as language names dropped ("German translation", "in English, French and German") -> ambiguous
surfaces resolved by context (Georgia, Brussels, Luxembourg, =AP, ICO ...) -> each mention's role
(the actor, a transfer's third country, a nationality, "will not apply in X", a law cited) ->
salience from position, frequency and role -> focus, the jurisdictions the story is about.

Focus (``CountryHit.focus``): a jurisdiction named in the title, next to an actor word ("the
Austrian DPA", "court in Munich") or by an authority in the title or lead is a subject, and so is a
third country that receives a transfer ("transferred to the US", in the body too), and so is the
source's own jurisdiction when its text names it; others are subjects when they weigh at least
``FOCUS_RATIO`` of the heaviest. A nationality ("the Austrian activist") and
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
from dataclasses import replace
from pathlib import Path

from monitor.matching import languages
from monitor.matching.automaton import MAX_CHARS_PER_WORD, Field, TermIndex, TermMatch
from monitor.matching.gazetteer import Cue, LanguageNoun, Place, SubjectCue, build_gazetteer
from monitor.matching.normalize import normalize
from monitor.matching.result import CountryHit, country_hit
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


class _Mention:
    """One kept gazetteer match: where, which place, the code it resolved to and its role."""

    __slots__ = ("fld", "match", "place", "code", "role")

    def __init__(self, fld: Field, match: TermMatch, place: Place) -> None:
        self.fld = fld
        self.match = match
        self.place = place
        self.code: str | None = None
        self.role = ""  # actor, agent (an actor after the lead), destination, nationality, excluded, law, or ""


# The sinks of the shared automaton's matches that this matcher reads (``TermIndex.scan_sinks``),
# in this order: places, resolver cues, language nouns, subject cues.
SINKS = 4
_SINK_OF = {Place: 0, Cue: 1, LanguageNoun: 2, SubjectCue: 3}


def sink(payload: object) -> int | None:
    """Which of the matcher's lists a gazetteer payload's matches go to (None: not a gazetteer payload)."""
    return _SINK_OF.get(type(payload))


# Per field: its Place, Cue, LanguageNoun and SubjectCue matches, each in text order.
Parts = tuple[list[TermMatch], list[TermMatch], list[TermMatch], list[TermMatch]]


# ASCII letters counted with bytes.translate (C speed; a line can be a 5,000-character paragraph
# and a page can have dozens of "US" in it).
_NOT_LOWER = bytes(b for b in range(256) if not 0x61 <= b <= 0x7A)
_NOT_UPPER = bytes(b for b in range(256) if not 0x41 <= b <= 0x5A)


def _in_caps_line(original: str, start: int, end: int, counted: dict[int, tuple[int, int]] | None = None) -> bool:
    """Is the match inside an all-caps line ("LET US KNOW")? Only the line is looked at, so an
    all-caps headline glued above the body does not hide "US" in the body. ``counted``: the
    upper- and lower-case letters of the lines already looked at, by where they start."""
    lo = original.rfind("\n", 0, start) + 1
    letters = counted.get(lo) if counted is not None else None
    if letters is None:
        hi = original.find("\n", end)
        ascii_line = original[lo : hi if hi >= 0 else len(original)].encode("ascii", "ignore")
        letters = (len(ascii_line.translate(None, _NOT_UPPER)), len(ascii_line.translate(None, _NOT_LOWER)))
        if counted is not None:
            counted[lo] = letters
    upper = letters[0] - (end - start)
    lower = letters[1]
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


def _near(fld: Field, cues: tuple[list[TermMatch], list[int]], m: TermMatch, before: int, after: int) -> bool:
    """Is a cue at most ``before`` words before the match, or ``after`` words after it?
    ``cues``: the cues in text order and their start offsets."""
    found, starts = cues
    start, end = m.start, m.end
    i = bisect.bisect_left(starts, start)
    if before:
        # A gap longer than this is farther than ``before`` words (``Field.distance``): tested
        # here, as most cues in reach of the scan back end far from the match.
        far = before * MAX_CHARS_PER_WORD
        j = i - 1
        while j >= 0 and start - starts[j] <= (before + 8) * 40:
            cue_end = found[j].end
            if cue_end <= start and start - cue_end <= far and fld.distance(cue_end, start, before) <= before:
                return True
            j -= 1
    if after:
        j = i
        while j < len(found) and starts[j] - end <= after * 40:
            c = found[j]
            if c.start >= end and fld.distance(end, c.start, after) <= after:
                return True
            j += 1
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
        self._prep_suffixes = tuple(self._preps)
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
        parts: list[tuple[Field, Parts]] = []
        for fld, matches in fields:
            lists: Parts = ([], [], [], [])
            for m in matches:
                i = sink(m.payload)
                if i is not None:
                    lists[i].append(m)
            parts.append((fld, lists))
        return self.evaluate_parts(parts, language, jurisdiction)

    def evaluate_parts(
        self,
        fields: list[tuple[Field, Parts]],
        language: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[CountryHit]:
        """Per field, its matches already sorted by kind (``Parts``) -> country hits."""
        mentions: list[_Mention] = []
        cues: dict[tuple[int, int], list[tuple[Field, TermMatch]]] = defaultdict(list)
        subject_cues: dict[tuple[str, str], list[TermMatch]] = {}
        resolved = self_reference = False  # is there a mention to resolve by context, a 国家?
        for fld, (places, resolver_cues, lang_nouns, subjects) in fields:
            for m in resolver_cues:
                cues[m.payload].append((fld, m))  # keyed (resolver, case)
            for m in subjects:
                subject_cues.setdefault((fld.name, m.payload.kind), []).append(m)
            if not places:
                continue
            kept: list[_Mention] = []
            demonyms = False
            for c in self._longest(self._candidates(fld, places)):
                place = c.place
                kind = place.kind
                if kind == "block":
                    continue
                if kind == "demonym":
                    demonyms = True
                elif kind == "self":
                    self_reference = True
                if place.resolver >= 0:
                    resolved = True
                c.code = place.code
                kept.append(c)
            if demonyms:
                languages_ = self._language_demonyms(fld, kept, lang_nouns)
                if languages_:
                    kept = [c for c in kept if id(c) not in languages_]
            mentions.extend(kept)
        if not mentions:
            return self._with_fallback([], jurisdiction)
        if resolved:
            mentioned = {m.code for m in mentions if m.place.resolver < 0 and m.place.kind != "self"}
            for mention in mentions:
                if mention.place.resolver >= 0:
                    mention.code = self._resolve(mention, cues, mentioned)
            mentions = [m for m in mentions if m.code]  # only a resolver leaves a mention without a code
        if self_reference:
            mentions = self._self_references(mentions, fields)
        # field name -> cue kind -> (cues in text order, their start offsets)
        near_cues: dict[str, dict[str, tuple[list[TermMatch], list[int]]]] = {}
        for (name, kind), found in subject_cues.items():
            near_cues.setdefault(name, {})[kind] = (found, [c.start for c in found])
        return self._with_fallback(self._aggregate(mentions, near_cues, jurisdiction), jurisdiction)

    def _candidates(self, fld: Field, places: list[TermMatch]) -> list[_Mention]:
        """The place matches that pass the filters: capitalisation (a capitalised surface must be
        capitalised in the text), all-caps headlines ("LET US KNOW"), personal names."""
        out: list[_Mention] = []
        original = fld.original
        caps_unsafe = self._caps_unsafe
        counted: dict[int, tuple[int, int]] = {}  # per line of the field (_in_caps_line)
        last: TermMatch | None = None
        for m in places:
            # Several gazetteer entries share a surface ("français" is a demonym twice over): of
            # those on one span only the first kept can win in _longest, so the others are skipped.
            if last is not None and m.start == last.start and m.end == last.end:
                continue
            p: Place = m.payload
            if p.capitalized:
                first = m.surface[:1]
                if first.isalpha() and not first.isupper():
                    continue
            term = m.term
            if term.exact_case and term.key in caps_unsafe and _in_caps_line(original, m.ostart, m.oend, counted):
                continue
            if p.person and _looks_like_person(original, m.ostart, m.oend, self._function_words):
                continue
            out.append(_Mention(fld, m, p))
            last = m
        return out

    @staticmethod
    def _longest(candidates: list[_Mention]) -> list[_Mention]:
        """Longest match first, then leftmost; overlapping shorter matches are dropped."""
        # Candidates come in text order; most texts have no two that overlap, and then every
        # one is kept, in that order.
        last_end = -1
        for c in candidates:
            if c.match.start < last_end:
                break
            last_end = c.match.end
        else:
            return candidates
        chosen: list[tuple[int, int]] = []
        out: list[_Mention] = []
        # Longest first, then leftmost, then in text order (what a stable sort on the first two gives).
        order = sorted([(c.match.start - c.match.end, c.match.start, i) for i, c in enumerate(candidates)])
        for _length, _start, i in order:
            c = candidates[i]
            s, e = c.match.start, c.match.end
            at = bisect.bisect_left(chosen, (s, e))
            if at > 0 and chosen[at - 1][1] > s:
                continue
            if at < len(chosen) and chosen[at][0] < e:
                continue
            chosen.insert(at, (s, e))
            out.append(c)
        out.sort(key=lambda c: c.match.start)
        return out

    def _language_demonyms(self, fld: Field, mentions: list[_Mention], lang_nouns: list[TermMatch]) -> set[int]:
        """ids of the demonym mentions that name languages. The items of a list ("in English,
        French and German", "German and French translations") are languages together."""
        out: set[int] = set()
        text = fld.norm.text
        chain: list[_Mention] = []
        for mention in mentions:
            if mention.place.kind == "demonym":
                if chain and _LIST_JOIN.match(text[chain[-1].match.end : mention.match.start]):
                    chain.append(mention)
                    continue
                if chain and self._is_language_list(fld, chain, lang_nouns):
                    out.update(id(m) for m in chain)
                chain = [mention]
            elif chain:
                if self._is_language_list(fld, chain, lang_nouns):
                    out.update(id(m) for m in chain)
                chain = []
        if chain and self._is_language_list(fld, chain, lang_nouns):
            out.update(id(m) for m in chain)
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
        before_text = fld.norm.text[max(0, first.start - 30) : first.start]
        # The word before must be a preposition followed by spaces: test that cheaply first.
        core = before_text.rstrip(" \t")
        if len(core) == len(before_text) or not core.endswith(self._prep_suffixes):
            return False
        before = _WORD_BEFORE.search(before_text)
        if before and before.group(1) in self._preps:
            rest = fld.norm.text[last.end : last.end + 30]
            if _WORD_AFTER.search(rest) is None:
                return True  # "translated into German." -- not "from German regulators"
        return False

    def _role(self, mention: _Mention, cues: dict[str, tuple[list[TermMatch], list[int]]]) -> str:
        """What the mention says about its jurisdiction's place in the story. ``cues``: the
        field's subject cues by kind, with their start offsets."""
        fld, m, kind = mention.fld, mention.match, mention.place.kind
        # Most fields have no cue of most kinds: those lookups come back None at once.
        found = cues.get("not_subject")
        if found is not None and _near(fld, found, m, NOT_SUBJECT_WINDOW, 0):
            return "excluded"
        if kind == "demonym":
            found = cues.get("persons")
            if found is not None and _near(fld, found, m, 0, PERSON_WINDOW):
                return "nationality"
        if kind == "law":
            return "law"
        # The story's actor is introduced in its title or lead; an authority cited further down
        # ("the French DPA had ruled the same") is context, weighed as an institution.
        early = fld.name == "title" or m.ostart < LEAD_CHARS
        if kind == "institution":
            return "actor" if early else "agent"
        found = cues.get("actors")
        acts = found is not None and _near(fld, found, m, ACTOR_WINDOW, ACTOR_WINDOW)
        if acts and early:
            return "actor"
        if mention.code in EEA or mention.code == "EU":
            return "agent" if acts else ""
        # After the lead, a third country that receives the data stays the transfer's destination
        # even when an authority is named next to it ("transfers to the US. The DPA ...").
        found = cues.get("destinations")
        if found is not None and _near(fld, found, m, DESTINATION_WINDOW, DESTINATION_AFTER_WINDOW):
            return "destination"
        found = cues.get("locations")
        if found is not None and _near(fld, found, m, DESTINATION_WINDOW, 0):
            return "destination"  # "a processor located in India", "servers in the US"
        return "agent" if acts else ""

    def _self_references(self, mentions: list[_Mention], fields: list[tuple[Field, Parts]]) -> list[_Mention]:
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

    def _aggregate(
        self,
        mentions: list[_Mention],
        near_cues: dict[str, dict[str, tuple[list[TermMatch], list[int]]]],
        home: str | None = None,
    ) -> list[CountryHit]:
        """Each mention's role (``_role``, against the subject cues of its field) and weight ->
        the hits, subjects and most salient first. ``home``: the source's own jurisdiction."""
        weight: dict[str, float] = {}
        count: dict[str, int] = {}
        surfaces: dict[str, list[str]] = {}
        first: dict[str, tuple[int, int]] = {}
        subject: set[str] = set()
        plain: set[str] = set()  # has a mention that can make it a subject by weight (not only laws)
        empty: dict[str, tuple[list[TermMatch], list[int]]] = {}
        role_of = self._role
        for m in mentions:
            code = m.code
            assert code is not None
            match = m.match
            role = m.role = role_of(m, near_cues.get(m.fld.name, empty))
            in_title = m.fld.name == "title"
            if in_title:
                w = TITLE_WEIGHT
            elif match.ostart < LEAD_CHARS:
                w = LEAD_WEIGHT
            else:
                w = BODY_WEIGHT
            if role:
                if role == "nationality" or role == "excluded":
                    w = 0.0
                elif role == "law":
                    w *= LAW_FACTOR
                elif role == "agent" or m.place.kind == "institution":
                    w *= INSTITUTION_FACTOR
                elif m.place.kind == "place" and not in_title:
                    w *= PLACE_FACTOR
                if role == "actor" or role == "destination" or (in_title and w > 0 and role != "law"):
                    subject.add(code)
                if w > 0 and role != "law":
                    plain.add(code)
            else:
                kind = m.place.kind
                if kind == "institution":
                    w *= INSTITUTION_FACTOR
                elif kind == "place" and not in_title:
                    w *= PLACE_FACTOR
                if in_title:
                    subject.add(code)
                plain.add(code)
            known = surfaces.get(code)
            if known is None:
                weight[code] = 0.0 + w
                count[code] = 1
                surfaces[code] = [match.surface]
                first[code] = (0 if in_title else 1, match.start)
            else:
                weight[code] += w
                count[code] += 1
                if match.surface not in known:
                    known.append(match.surface)
        if not weight:
            return []
        if home is not None and home in plain and home not in subject:
            # A source's own jurisdiction, named in its text, is the story's default subject: a
            # foreign mention must weigh half as much to join it ("... as the EU did").
            subject.add(home)
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
        return [country_hit(c, count[c], round(weight[c] / total, 3), c in focus, surfaces[c]) for c in order]

    @staticmethod
    def _with_fallback(hits: list[CountryHit], jurisdiction: str | None) -> list[CountryHit]:
        """A text that names no subject is about its source's jurisdiction (mentions=0 if unnamed)."""
        if not jurisdiction or any(h.focus for h in hits):
            return hits
        for i, hit in enumerate(hits):
            if hit.code == jurisdiction:
                return [replace(hit, focus=True), *hits[:i], *hits[i + 1 :]]
        return [CountryHit(jurisdiction, 0, 0.0, True, []), *hits]
