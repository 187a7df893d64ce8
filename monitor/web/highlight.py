"""An article's whole text cut into runs, the matched evidence marked: what the item page shows.

Spans are the stored evidence offsets (``topic_matches.evidence``: field, start, end) into the
stored title or text. A span that does not fit the text (a revision changed it since) is left
out rather than marked at the wrong place. Text is not cleaned of markup here: the template
escapes every run, so the page shows a hostile ``<script>`` as the characters it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# C0/C1 control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Run:
    """A run of text; ``marks`` are the evidence numbers (anchors on the page) covering it."""

    text: str
    marks: tuple[int, ...] = ()
    rules: tuple[str, ...] = field(default=())
    anchor: int | None = None  # the evidence number whose span starts here: the page's #ev-N target


@dataclass(frozen=True)
class Span:
    number: int
    start: int
    end: int
    rule: str
    term: str


def spans(evidence: Iterable[Mapping[str, Any]], field_name: str, length: int) -> list[Span]:
    """The evidence on ``field_name`` that fits a text of ``length``, numbered in reading order."""
    found: list[tuple[int, int, str, str]] = []
    for item in evidence:
        if item.get("field", "text") != field_name:
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            found.append((start, end, str(item.get("rule", "")), str(item.get("term", ""))))
    ordered = sorted(set(found))
    return [Span(number, *values) for number, values in enumerate(ordered, start=1)]


def runs(text: str, marked: list[Span]) -> list[Run]:
    """``text`` cut at every span boundary; overlapping spans mark the same run together."""
    cuts = sorted({0, len(text), *(s.start for s in marked), *(s.end for s in marked)})
    out: list[Run] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in marked if s.start <= start and end <= s.end]
        piece = _CONTROL.sub("", text[start:end])
        if piece:
            anchor = min((s.number for s in covering if s.start == start), default=None)
            rules = tuple(dict.fromkeys(s.rule for s in covering))
            out.append(Run(piece, tuple(s.number for s in covering), rules, anchor))
    return out
