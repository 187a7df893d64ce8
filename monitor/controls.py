"""Control and invisible formatting characters, removed from scraped text where it enters storage
(``pipelines.normalize.CleanTextStage``) and again where text leaves (``monitor items``, the digest,
the Atom feed), for rows stored before.

Removed:

- C0 and C1 controls other than tab and newline, and DEL: ESC starts a terminal escape sequence
  (a title could recolour, retitle or clear an analyst's terminal), BEL rings it;
- the bidirectional embeddings and overrides U+202A-U+202E and isolates U+2066-U+2069: they
  reorder the text that follows, so a title can read differently from what it says ("Trojan
  Source");
- U+FEFF (a byte-order mark inside text), U+2060-U+2064 (word joiner, invisible operators),
  U+206A-U+206F (deprecated format controls), U+FFF9-U+FFFB (interlinear annotation) and the tag
  characters U+E0000-U+E007F (invisible carriers of hidden text), except inside an emoji tag
  sequence (the flags of England, Scotland and Wales).

Turned into a newline: CR (alone or before LF), vertical tab, form feed, NEL, U+2028 and U+2029 -
line breaks in other spellings; deleting them would glue two words together, and a bare CR lets a
line overwrite itself on a terminal.

Kept: tab and newline; ZWNJ U+200C and ZWJ U+200D, which Persian, Indic scripts and emoji
sequences need; ZWSP U+200B (word boundaries in Thai, Khmer, Lao and Burmese); the soft hyphen;
and the single marks LRM U+200E, RLM U+200F and ALM U+061C, which Hebrew and Arabic text uses to
place punctuation and numbers. A mark, unlike an override or isolate, opens no span: it changes
the direction of the neutral characters next to it and nothing else, so it cannot turn a title
around.
"""

from __future__ import annotations

import re

_FLAG_SEQUENCE = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_REMOVED = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u202a-\u202e\u2066-\u2069"
    "\ufeff\u2060-\u2064\u206a-\u206f\ufff9-\ufffb"
    "\U000e0000-\U000e007f"
)
_STRIP = re.compile(f"({_FLAG_SEQUENCE})|[{_REMOVED}]+")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Text with none of the characters above is returned as it is, without a substitution pass.
_ANY = re.compile(f"[{_REMOVED}\r\x0b\x0c\x85\u2028\u2029]")


def _keep_flag(match: re.Match[str]) -> str:
    return match.group(1) or ""


def strip_controls(value: str | None) -> str:
    """``value`` without control and invisible formatting characters (see the module docstring)."""
    if not value:
        return ""
    if _ANY.search(value) is None:
        return value
    return _STRIP.sub(_keep_flag, _LINE_BREAKS.sub("\n", value))


def has_controls(value: str | None) -> bool:
    """True when ``strip_controls`` would change ``value``."""
    return bool(value) and strip_controls(value) != value
