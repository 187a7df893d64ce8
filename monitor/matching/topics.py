"""Topic matching: watchlist rules evaluated over automaton matches.

A rule fires at each occurrence of its anchor whose conditions hold (positive context within the
window, no vetoing context, no topic exclusion nearby). A topic's evidence *mass* sums the weights
of the distinct anchor spans that fired (title hits count more); a topic whose mass reaches its
``min_score`` is a candidate, and monitor/matching/relevance.py scores how much the text is about
it (where the evidence sits, its density, how many rules agree across separate passages, policy
context near it, length).
The topic is reported when that score reaches its threshold, or, for the best candidate of a text
that has no topic over its threshold, when monitor/matching/text_model.py reads the whole text as
on topic (a rescued topic scores its threshold, the lowest score a flag has).
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from monitor.matching import relevance, text_model
from monitor.matching.automaton import MAX_CHARS_PER_WORD, Field, TermIndex, TermMatch
from monitor.matching.normalize import normalize
from monitor.matching.result import Evidence, TopicHit
from monitor.matching.rules import Rule, Term
from monitor.matching.watchlist import Topic, Watchlist, load_watchlist

logger = logging.getLogger(__name__)

# A headline hit is stronger evidence than one in the body, but not a flag on its own when the
# rule is weak (weight 0.5 * 1.5 < 1.0).
TITLE_WEIGHT = 1.5
# Evidence kept per topic: enough for an analyst to check, bounded for long PDFs.
MAX_EVIDENCE = 20
# Anchors this many words apart or closer are one passage (one statement, the same sentence
# roughly, as relevance.POLICY_WINDOW): distinct rules count as agreeing evidence only across passages.
PASSAGE_WORDS = relevance.POLICY_WINDOW

# Payload slots: which part of a rule a term belongs to.
ANCHOR = -1
EXCLUDE = -2
POLICY = -3  # a policy-context term of the watchlist (topic and rule -1)
THREAT = -4  # a threat-report term of the watchlist (topic and rule -1), in the policy sink
# A launch, release or event notice's term (topic and rule -1), in the policy sink. Not gated: it
# counts in a title that holds no evidence ("Sign up for our hackathon").
PROMO = -5
# The gate every anchor opens: policy-context terms ("law", "Gesetz") occur on most pages and only
# matter in a field where some topic's anchor occurs.
ANY_ANCHOR = "any-anchor"


class TopicPayload(NamedTuple):
    """Which topic, rule and part of the rule a term belongs to. A tuple, so that it is its own
    key in the per-field tables of matches (``evaluate_parts``)."""

    topic: int
    rule: int  # -1 for topic-level exclusions
    slot: int  # ANCHOR, EXCLUDE or the condition index


def _distance(fld: Field, a: TermMatch, b: TermMatch, window: int) -> int:
    """Words between two matches in the same field (0 when they overlap)."""
    if a.end > b.start and b.end > a.start:
        return 0
    if a.start < b.start:
        return fld.distance(a.end, b.start, window)
    return fld.distance(b.end, a.start, window)


def _overlaps(a: TermMatch, b: TermMatch) -> bool:
    return a.start < b.end and b.start < a.end


# The sinks of the shared automaton's matches that this matcher reads (``TermIndex.scan_sinks``),
# in this order: anchors and NEAR terms of rules, topic exclusions, policy-context and threat terms.
SINKS = 3


def sink(payload: TopicPayload) -> int:
    """Which of the matcher's lists a payload's matches go to."""
    return 1 if payload.slot == EXCLUDE else 2 if payload.slot <= POLICY else 0


# Per field: its rule, exclusion and policy-context (and threat) matches, each in text order.
Parts = tuple[list[TermMatch], list[TermMatch], list[TermMatch]]


class _Near:
    """NEAR conditions of one field's anchors. A condition's terms are looked at only where they
    can be within its window (found by bisection over their offsets), so an anchor in a long page
    with "data" on every line costs a few distance counts, not one per "data"."""

    def __init__(self, fld: Field, by_slot: dict[tuple[int, int, int], list[TermMatch]]) -> None:
        self.fld = fld
        self.by_slot = by_slot
        # slot -> (start offsets of its matches, the longest match's length)
        self._offsets: dict[tuple[int, int, int], tuple[list[int], int]] = {}

    def _offsets_of(self, key: tuple[int, int, int], found: list[TermMatch]) -> tuple[list[int], int]:
        offsets = self._offsets.get(key)
        if offsets is None:
            offsets = self._offsets[key] = ([m.start for m in found], max(m.end - m.start for m in found))
        return offsets

    def conditions_hold(self, rule: Rule, anchor: TermMatch, ti: int, ri: int) -> list[TermMatch] | None:
        """The nearest match of each positive condition, or None when one fails (a negated
        condition fails when any of its terms is near)."""
        fld = self.fld
        context: list[TermMatch] = []
        for ci, cond in enumerate(rule.conditions):
            key = (ti, ri, ci)
            found = self.by_slot.get(key)
            best: TermMatch | None = None
            if found:
                window = cond.window
                # Farther than window * MAX_CHARS_PER_WORD characters is farther than the window.
                reach = window * MAX_CHARS_PER_WORD
                starts, longest = self._offsets_of(key, found)
                lo = bisect.bisect_left(starts, anchor.start - reach - longest)
                hi = bisect.bisect_right(starts, anchor.end + reach)
                best_d = window + 1
                for m in found[lo:hi]:
                    d = _distance(fld, anchor, m, window)
                    if d <= window and (cond.negated or not _overlaps(anchor, m)) and d < best_d:
                        best, best_d = m, d
                        if cond.negated:
                            break
            if cond.negated:
                if best is not None:
                    return None
            elif best is None:
                return None
            else:
                context.append(best)
        return context


class TopicMatcher:
    """Evaluates every topic of a watchlist; immutable after construction, so thread-safe."""

    def __init__(
        self,
        watchlist: Watchlist,
        model: relevance.Model | None = None,
        reader: text_model.TextModel | None | bool = True,
    ) -> None:
        """``reader``: the text model that may rescue a candidate under its threshold; True: the
        shipped one (``text_model.load``), None or False: none."""
        self.watchlist = watchlist
        self.topics: tuple[Topic, ...] = watchlist.topics
        self.topic_ids = [t.id for t in self.topics]
        self.model = model or relevance.load_model()
        # The shipped model is read at the first text that needs it: most runs of `monitor match`
        # never do, and its 20,000 terms cost start-up time.
        self._reader: text_model.TextModel | None | bool = (
            True if reader is True else (reader if isinstance(reader, text_model.TextModel) else None)
        )
        self.thresholds = [
            t.threshold if t.threshold is not None else watchlist.relevance.threshold for t in self.topics
        ]
        # Per topic and rule: the indexes of its positive (not negated) conditions.
        self._required: list[list[tuple[int, ...]]] = [
            [tuple(ci for ci, cond in enumerate(rule.conditions) if not cond.negated) for rule in t.rules]
            for t in self.topics
        ]

    @property
    def reader(self) -> text_model.TextModel | None:
        """The text model that may rescue a candidate under its threshold (None: none)."""
        if self._reader is True:
            self._reader = text_model.load()
        return self._reader if isinstance(self._reader, text_model.TextModel) else None

    @reader.setter
    def reader(self, model: text_model.TextModel | None) -> None:
        self._reader = model

    @classmethod
    def from_file(cls, path: Path) -> TopicMatcher:
        matcher = cls(load_watchlist(Path(path)))
        index = TermIndex(gating=cls.gating)
        index.extend(matcher.index_items())
        index.build()
        matcher._index = index
        return matcher

    _index: TermIndex | None = None

    def index_items(self) -> list[tuple[Term, TopicPayload]]:
        """(Term, payload) pairs for the shared automaton."""
        items: list[tuple[Term, TopicPayload]] = []
        for ti, topic in enumerate(self.topics):
            for ri, rule in enumerate(topic.rules):
                for term in rule.anchor.terms:
                    items.append((term, TopicPayload(ti, ri, ANCHOR)))
                for ci, cond in enumerate(rule.conditions):
                    for term in cond.operand.terms:
                        items.append((term, TopicPayload(ti, ri, ci)))
            for term in topic.exclude:
                items.append((term, TopicPayload(ti, -1, EXCLUDE)))
        for term in self.watchlist.relevance.policy_context:
            items.append((term, TopicPayload(-1, -1, POLICY)))
        for term in self.watchlist.relevance.threat_context:
            items.append((term, TopicPayload(-1, -1, THREAT)))
        for term in self.watchlist.relevance.promo_context:
            items.append((term, TopicPayload(-1, -1, PROMO)))
        return items

    @staticmethod
    def gating(payload: object) -> tuple[tuple[object, ...], object | None]:
        """For ``TermIndex(gating=...)``: an anchor opens its rule and its topic; a condition's
        terms count only next to an anchor of their rule, exclusions only next to one of their
        topic, and both only within one field, so a field without such an anchor can skip them."""
        if not isinstance(payload, TopicPayload):
            return (), None
        if payload.slot == ANCHOR:
            return ((payload.topic, payload.rule), payload.topic, ANY_ANCHOR), None
        if payload.slot == EXCLUDE:
            return (), payload.topic
        if payload.slot == PROMO:
            return (), None
        if payload.slot <= POLICY:  # policy-context and threat terms
            return (), ANY_ANCHOR
        return (), (payload.topic, payload.rule)

    def match(self, title: str, text: str, language: str | None = None) -> list[TopicHit]:
        """Topics found in ``title`` and ``text``, best first. ``language`` is not needed: the
        press mixes languages (English instrument names in German articles), so every term is
        always active."""
        if self._index is None:
            index = TermIndex(gating=self.gating)
            index.extend(self.index_items())
            index.build()
            self._index = index
        fields = [Field("title", normalize(title or "")), Field("text", normalize(text or ""))]
        matches = [(f, [m for m in self._index.scan(f) if isinstance(m.payload, TopicPayload)]) for f in fields]
        return self.evaluate(matches)

    def evaluate(self, fields: list[tuple[Field, list[TermMatch]]]) -> list[TopicHit]:
        """Turn per-field term matches (payloads of this matcher only) into topic hits."""
        parts: list[tuple[Field, Parts]] = []
        for fld, matches in fields:
            lists: Parts = ([], [], [])
            for m in matches:
                lists[sink(m.payload)].append(m)
            parts.append((fld, lists))
        return self.evaluate_parts(parts)

    def evaluate_parts(self, fields: list[tuple[Field, Parts]]) -> list[TopicHit]:
        """Per field, its matches already sorted by kind (``Parts``) -> topic hits."""
        # topic -> anchors that fired: (weight, rule, field, anchor match, context matches, policy near)
        fired: dict[int, list[_Fired]] = defaultdict(list)
        threats = 0  # threat-report terms in the fields that hold evidence
        promos = 0  # launch, release or event notice terms in the title or the lead
        for fld, (rule_matches, exclude_matches, policy) in fields:
            if policy and any(m.payload.slot != POLICY for m in policy):
                if rule_matches:
                    threats += sum(1 for m in policy if m.payload.slot == THREAT)
                promos += sum(
                    1
                    for m in policy
                    if m.payload.slot == PROMO and (fld.name == "title" or m.start < relevance.LEAD_CHARS)
                )
                policy = [m for m in policy if m.payload.slot == POLICY]
            if not rule_matches:
                continue
            by_slot: dict[tuple[int, int, int], list[TermMatch]] = {}
            for m in rule_matches:
                key = m.payload  # (topic, rule, slot)
                found = by_slot.get(key)
                if found is None:
                    by_slot[key] = [m]
                else:
                    found.append(m)
            anchor_keys = [key for key in by_slot if key[2] == ANCHOR]
            if not anchor_keys:
                continue
            excludes: dict[int, list[TermMatch]] = defaultdict(list)
            for m in exclude_matches:
                excludes[m.payload.topic].append(m)
            policy_starts = [m.start for m in policy]
            near = _Near(fld, by_slot)
            required = self._required
            for ti, ri, _slot in anchor_keys:
                # A rule with a positive condition none of whose terms is in this field cannot fire:
                # "data" anchors dozens of rules and occurs on every page, their contexts rarely.
                if any((ti, ri, ci) not in by_slot for ci in required[ti][ri]):
                    continue
                topic = self.topics[ti]
                rule = topic.rules[ri]
                for anchor in by_slot[(ti, ri, ANCHOR)]:
                    context = near.conditions_hold(rule, anchor, ti, ri)
                    if context is None:
                        continue
                    if any(
                        _distance(fld, anchor, x, topic.exclude_window) <= topic.exclude_window
                        for x in excludes.get(ti, ())
                    ):
                        continue
                    weight = rule.weight * (TITLE_WEIGHT if fld.name == "title" else 1.0)
                    near_policy = _near_any(fld, anchor, policy, policy_starts, relevance.POLICY_WINDOW)
                    fired[ti].append((weight, rule, fld, anchor, context, near_policy))
        if not fired:
            return []  # most texts: no anchor whose conditions hold
        chars = sum(len(fld.norm.text) for fld, _ in fields)
        # The density is per UTF-8 byte: a Chinese character says about as much as three Latin
        # letters and takes three bytes, so one passing mention in a 600-character Chinese news item
        # is as thin as in an English story of the same content. Length and lead stay in characters.
        size = sum(len(fld.norm.text) if fld.ascii else len(fld.norm.text.encode("utf-8")) for fld, _ in fields)
        hits = []
        for ti, entries in fired.items():
            hit = self._topic_hit(ti, entries, chars, threats, promos, size=size)
            if hit is not None:
                hits.append(hit)
        if not hits and self._reader is not None and self.reader is not None:
            rescued = self._rescue(fields, fired, chars, threats, promos, size)
            return [rescued] if rescued is not None else []
        hits.sort(key=lambda h: (-h.score, self.topic_ids.index(h.topic)))
        return hits

    def _rescue(
        self,
        fields: list[tuple[Field, Parts]],
        fired: dict[int, list[_Fired]],
        chars: int,
        threats: int,
        promos: int,
        size: int = 0,
    ) -> TopicHit | None:
        """The best candidate under its threshold, flagged when the text model reads the text as on
        topic; None when no candidate reached ``min_score`` or the model reads it as off topic."""
        assert self.reader is not None and self.reader.rescue is not None
        candidates = [
            hit
            for ti, entries in fired.items()
            if (hit := self._topic_hit(ti, entries, chars, threats, promos, floor=0.0, size=size)) is not None
        ]
        if not candidates:
            return None
        best = max(candidates, key=lambda h: (h.score / self.thresholds[self.topic_ids.index(h.topic)], h.topic))
        texts = {fld.name: fld.norm.text for fld, _ in fields}
        p = self.reader.probability(texts.get("title", ""), texts.get("text", ""))
        if p < self.reader.rescue:
            return None
        threshold = self.thresholds[self.topic_ids.index(best.topic)]
        features = {**best.features, "text_model": round(p, 3)}
        return replace(best, score=round(threshold, 3), reason=f"{best.reason} (text model {p:.2f})", features=features)

    def _topic_hit(
        self,
        ti: int,
        entries: list[_Fired],
        chars: int,
        threats: int = 0,
        promos: int = 0,
        floor: float | None = None,
        size: int = 0,
    ) -> TopicHit | None:
        """The topic's hit when its evidence reaches ``min_score`` and its relevance the threshold
        (``floor``, when given, instead of the threshold). ``size``: the text's UTF-8 bytes."""
        topic = self.topics[ti]
        # Score distinct anchor spans once (several rules may fire on "data localisation law").
        best_per_span: dict[tuple[str, int, int], float] = {}
        policy_spans: set[tuple[str, int, int]] = set()
        field_of: dict[str, Field] = {}
        for weight, _rule, fld, anchor, _ctx, near_policy in entries:
            key = (fld.name, anchor.start, anchor.end)
            best_per_span[key] = max(best_per_span.get(key, 0.0), weight)
            field_of[fld.name] = fld
            if near_policy:
                policy_spans.add(key)
        # Overlapping spans ("data localisation" inside "data localisation law") count once.
        # Spans within PASSAGE_WORDS of each other are one passage (one statement): several rules
        # firing on the parts of "transfers of personal data to third countries" do not agree.
        mass = lead = 0.0
        anchors = with_policy = passages = 0
        last: tuple[str, int, int] | None = None
        for key in sorted(best_per_span, key=lambda k: (k[0], k[1], -k[2])):
            if last is not None and key[0] == last[0] and key[1] < last[2]:
                continue
            if (
                last is None
                or key[0] != last[0]
                or field_of[key[0]].distance(last[2], key[1], PASSAGE_WORDS) > PASSAGE_WORDS
            ):
                passages += 1
            mass += best_per_span[key]
            if key[0] == "title" or key[1] < relevance.LEAD_CHARS:
                lead += best_per_span[key]
            anchors += 1
            with_policy += key in policy_spans
            last = key
        if mass < topic.min_score:
            return None
        feats = relevance.features(
            relevance.Evidence(
                mass=mass,
                lead_mass=lead,
                in_title=any(e[2].name == "title" for e in entries),
                # Rules agreeing on one passage are one piece of evidence, not several.
                rules=min(len({e[1].id for e in entries}), passages),
                anchors=anchors,
                policy_anchors=with_policy,
                chars=chars,
                size=size,
                threats=threats,
                promos=promos,
            )
        )
        score = self.model.score(feats)
        if score < (self.thresholds[ti] if floor is None else floor):
            return None
        entries.sort(key=lambda e: (e[2].name != "title", -e[0], e[3].start))
        evidence: list[Evidence] = []
        terms: list[str] = []
        seen: set[tuple[str, str, int]] = set()
        for _weight, rule, fld, anchor, ctx, _policy in entries:
            for role, m in [("anchor", anchor), *(("context", c) for c in ctx)]:
                if m.surface not in terms:
                    terms.append(m.surface)
                k = (rule.id, fld.name, m.ostart)
                if k not in seen and len(evidence) < MAX_EVIDENCE:
                    seen.add(k)
                    evidence.append(Evidence(rule.id, m.surface, fld.name, m.ostart, m.oend, role))
        _w, _r, _f, anchor, ctx, _p = entries[0]
        reason = " near ".join(f'"{m.surface}"' for m in [anchor, *ctx])
        features = {"evidence_mass": round(mass, 2), **{k: round(v, 3) for k, v in feats.items()}}
        return TopicHit(topic.id, round(score, 3), terms, evidence, reason, features)


# (weight, rule, field, anchor, context matches, a policy-context term near the anchor)
_Fired = tuple[float, Rule, Field, TermMatch, list[TermMatch], bool]


def _near_any(fld: Field, anchor: TermMatch, matches: list[TermMatch], starts: list[int], window: int) -> bool:
    """Is one of ``matches`` (sorted by start) within ``window`` words of ``anchor``? Only the
    neighbours of the anchor's position are measured, so a long page costs a few checks per anchor."""
    if not matches:
        return False
    i = bisect.bisect_left(starts, anchor.start)
    for j in (i - 2, i - 1, i, i + 1):
        if 0 <= j < len(matches) and _distance(fld, anchor, matches[j], window) <= window:
            return True
    return False
