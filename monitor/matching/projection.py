"""The boundary projection of a folded text: most raw automaton hits never reach Python.

On real news, seven raw hits in ten were short whole-word keys inside longer words ("ue" in
"que", "men" in "government", "rom" in "from") that the scan rejected one by one in Python. The
projection turns the folded text into one byte per character, in which every character that can
stand next to a word (not an ASCII letter, digit or ``_``) is a space, and pads it with a space at
both ends; a key that needs a word boundary is searched there with a space on that side. So a key
is only reported where its neighbour can be a boundary.

The projection is a superset filter, never the decision: a non-ASCII letter ("é") also becomes a
space, and a key with punctuation ("u.s.", "data-residency") is searched in its projected form,
so the scan still checks the real neighbours and, for such keys, the real characters. Keys with
non-ASCII characters (Chinese) cannot be projected and keep an automaton over the folded text.

Building it is three C-speed passes: UTF-8 encoding, then one ``bytes.translate`` that maps ASCII
bytes and lead bytes of non-ASCII characters and deletes continuation bytes, so that byte offsets
are character offsets.
"""

from __future__ import annotations

# ASCII letters, digits and "_" stand for themselves; every other ASCII byte and every lead byte of
# a multi-byte UTF-8 sequence become a space; continuation bytes (0x80-0xBF) are deleted.
_KEEP = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_TABLE = bytes(b if b in _KEEP else 0x20 for b in range(256))
_KEPT = bytes(sorted(_KEEP))
_CONTINUATION = bytes(range(0x80, 0xC0))
# Keys with fewer letters or digits than this would match most of the projected text.
MIN_KEY_ALNUM = 2


def project(text: str) -> bytes:
    """One byte per character of ``text``, with a space before and after: byte ``i + 1`` is
    character ``i``."""
    return b" " + text.encode("utf-8", "surrogatepass").translate(_TABLE, _CONTINUATION) + b" "


def projectable(key: str) -> bool:
    """Can ``key`` be searched in the projection (ASCII, with enough letters or digits)?"""
    return key.isascii() and sum(map(str.isalnum, key)) >= MIN_KEY_ALNUM


def pattern(key: str, left: bool, right: bool) -> bytes:
    """The projected form of ``key``, with a space on each side that needs a word boundary."""
    body = key.encode("ascii").translate(_TABLE)
    return (b" " if left else b"") + body + (b" " if right else b"")


def exact(key: str) -> bool:
    """Does a match of the projected key prove that the text holds the key itself?"""
    return not key.encode("ascii").translate(None, _KEPT)
