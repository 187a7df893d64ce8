"""A short snippet of an article around its matched terms, with the terms marked.

The matcher stores evidence as character spans into the title or text; the snippet is cut around
the first span in the text so that a reader sees *why* the item was flagged, in context. Only the
terms that made a rule fire are marked: a span whose ``role`` is ``context`` (a word such as
"data" or "UK" that the rule only needed nearby) stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from monitor.digest.safety import plain

# About three lines at 600 px: enough context to judge a match, short enough to scan thirty items.
SNIPPET_CHARS = 260
# Share of the snippet shown before the first match, so the sentence leading into it is visible.
LEAD_SHARE = 0.3


@dataclass(frozen=True)
class Segment:
    """A run of snippet text; ``hit`` is true for a matched term."""

    text: str
    hit: bool = False


def _spans_from_evidence(evidence: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int]]:
    spans = []
    for item in evidence:
        if item.get("field", "text") != "text" or item.get("role") == "context":
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            spans.append((start, end))
    return sorted(set(spans))


def _spans_from_terms(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Fallback when evidence has no text spans: find the terms themselves, case-insensitively."""
    spans: list[tuple[int, int]] = []
    for term in {t for t in terms if t and len(t) > 1}:
        spans.extend(m.span() for m in re.finditer(re.escape(term), text, flags=re.IGNORECASE))
    return sorted(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, first: int, width: int) -> tuple[int, int]:
    start = max(0, first - int(width * LEAD_SHARE))
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def snippet(
    text: str, evidence: Iterable[Mapping[str, Any]] = (), terms: Iterable[str] = (), width: int = SNIPPET_CHARS
) -> list[Segment]:
    """Segments of a snippet of ``text`` around the first matched span, every match inside it marked."""
    if not text:
        return []
    spans = _merge(_spans_from_evidence(evidence, len(text)) or _spans_from_terms(text, terms))
    first = spans[0][0] if spans else 0
    start, end = _window(text, first, width)
    segments: list[Segment] = [Segment("… ")] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > cursor:
            segments.append(Segment(plain(text[cursor:span_start])))
        segments.append(Segment(plain(text[span_start:span_end]), hit=True))
        cursor = span_end
    if cursor < end:
        segments.append(Segment(plain(text[cursor:end])))
    if end < len(text):
        segments.append(Segment(" …"))
    return [segment for segment in segments if segment.text]
