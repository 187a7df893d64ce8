"""Topic matching: watchlist rules evaluated over automaton matches.

A rule fires at each occurrence of its anchor whose conditions hold (positive context within the
window, no vetoing context, no topic exclusion nearby). A topic's score sums the weights of the
distinct anchor spans that fired (title hits count more: a headline that says "data localisation"
is about it); the topic is reported when the score reaches the topic's ``min_score``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from monitor.matching.automaton import Field, TermIndex, TermMatch
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

# Payload slots: which part of a rule a term belongs to.
ANCHOR = -1
EXCLUDE = -2


@dataclass(frozen=True, slots=True)
class TopicPayload:
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


class TopicMatcher:
    """Evaluates every topic of a watchlist; immutable after construction, so thread-safe."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.topics: tuple[Topic, ...] = watchlist.topics
        self.topic_ids = [t.id for t in self.topics]

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
        return items

    @staticmethod
    def gating(payload: object) -> tuple[tuple[object, ...], object | None]:
        """For ``TermIndex(gating=...)``: an anchor opens its rule and its topic; a condition's
        terms count only next to an anchor of their rule, exclusions only next to one of their
        topic, and both only within one field, so a field without such an anchor can skip them."""
        if not isinstance(payload, TopicPayload):
            return (), None
        if payload.slot == ANCHOR:
            return ((payload.topic, payload.rule), payload.topic), None
        if payload.slot == EXCLUDE:
            return (), payload.topic
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
        # (topic, field) -> anchors that fired: (weight, rule, anchor match, context matches)
        fired: dict[int, list[tuple[float, Rule, Field, TermMatch, list[TermMatch]]]] = defaultdict(list)
        for fld, matches in fields:
            if not matches:
                continue
            by_slot: dict[tuple[int, int, int], list[TermMatch]] = defaultdict(list)
            excludes: dict[int, list[TermMatch]] = defaultdict(list)
            for m in matches:
                p: TopicPayload = m.payload
                if p.slot == EXCLUDE:
                    excludes[p.topic].append(m)
                else:
                    by_slot[(p.topic, p.rule, p.slot)].append(m)
            for (ti, ri, slot), anchors in by_slot.items():
                if slot != ANCHOR:
                    continue
                topic = self.topics[ti]
                rule = topic.rules[ri]
                for anchor in anchors:
                    context = self._conditions_hold(fld, rule, anchor, by_slot, ti, ri)
                    if context is None:
                        continue
                    if any(
                        _distance(fld, anchor, x, topic.exclude_window) <= topic.exclude_window
                        for x in excludes.get(ti, ())
                    ):
                        continue
                    weight = rule.weight * (TITLE_WEIGHT if fld.name == "title" else 1.0)
                    fired[ti].append((weight, rule, fld, anchor, context))
        hits = [self._topic_hit(ti, entries) for ti, entries in fired.items()]
        hits = [h for h, ti in zip(hits, fired, strict=True) if h.score >= self.topics[ti].min_score]
        hits.sort(key=lambda h: (-h.score, self.topic_ids.index(h.topic)))
        return hits

    @staticmethod
    def _conditions_hold(
        fld: Field,
        rule: Rule,
        anchor: TermMatch,
        by_slot: dict[tuple[int, int, int], list[TermMatch]],
        ti: int,
        ri: int,
    ) -> list[TermMatch] | None:
        context: list[TermMatch] = []
        for ci, cond in enumerate(rule.conditions):
            near = [
                m
                for m in by_slot.get((ti, ri, ci), ())
                if _distance(fld, anchor, m, cond.window) <= cond.window and (cond.negated or not _overlaps(anchor, m))
            ]
            if cond.negated:
                if near:
                    return None
            elif not near:
                return None
            else:
                context.append(min(near, key=lambda m: _distance(fld, anchor, m, cond.window)))
        return context

    def _topic_hit(self, ti: int, entries: list[tuple[float, Rule, Field, TermMatch, list[TermMatch]]]) -> TopicHit:
        topic = self.topics[ti]
        # Score distinct anchor spans once (several rules may fire on "data localisation law").
        best_per_span: dict[tuple[str, int, int], float] = {}
        for weight, _rule, fld, anchor, _ctx in entries:
            key = (fld.name, anchor.start, anchor.end)
            best_per_span[key] = max(best_per_span.get(key, 0.0), weight)
        # Overlapping spans ("data localisation" inside "data localisation law") count once.
        score = 0.0
        last: tuple[str, int, int] | None = None
        for key in sorted(best_per_span, key=lambda k: (k[0], k[1], -k[2])):
            if last is not None and key[0] == last[0] and key[1] < last[2]:
                continue
            score += best_per_span[key]
            last = key
        entries.sort(key=lambda e: (e[2].name != "title", -e[0], e[3].start))
        evidence: list[Evidence] = []
        terms: list[str] = []
        seen: set[tuple[str, str, int]] = set()
        for _weight, rule, fld, anchor, ctx in entries:
            for m in [anchor, *ctx]:
                if m.surface not in terms:
                    terms.append(m.surface)
                k = (rule.id, fld.name, m.ostart)
                if k not in seen and len(evidence) < MAX_EVIDENCE:
                    seen.add(k)
                    evidence.append(Evidence(rule.id, m.surface, fld.name, m.ostart, m.oend))
        _w, _r, _f, anchor, ctx = entries[0]
        reason = " near ".join(f'"{m.surface}"' for m in [anchor, *ctx])
        return TopicHit(topic.id, round(score, 2), terms, evidence, reason)
