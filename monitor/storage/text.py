"""Cleans text that one backend or the other refuses, the same way for both."""

from __future__ import annotations

import hashlib

from monitor.storage.models import TITLE_MAX, URL_MAX

# What evidence and term lists hold once read from or bound for a JSON column.
JSONValue = str | int | float | bool | None | list["JSONValue"] | tuple["JSONValue", ...] | dict[str, "JSONValue"]

# Hex characters of the hash that keeps a cut URL unique (64 bits: no collision in practice).
URL_HASH_CHARS = 16


def clean_text(value: str | None, limit: int | None = None) -> str:
    """Drop NUL bytes (PostgreSQL refuses them) and lone surrogates (no UTF-8 encoding exists)."""
    if not value:
        return ""
    cleaned = value.replace("\x00", "")
    cleaned = cleaned.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(cleaned) else cleaned
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_title(value: str | None) -> str:
    return clean_text(" ".join((value or "").split()), TITLE_MAX)


def clean_url(value: str) -> str:
    """A URL that fits the column on both backends, and stays unique when it had to be cut.

    The limit is in UTF-8 bytes, not characters: PostgreSQL's btree index refuses entries over
    about 2700 bytes, and a URL of non-ASCII characters can be three times its length in bytes.
    A cut URL ends in ``#`` and a hash of the whole, so two long URLs that share their first
    2 KB are still two articles, and the same long URL always maps to the same key.
    """
    cleaned = clean_text(value)
    encoded = cleaned.encode("utf-8")
    if len(encoded) <= URL_MAX:
        return cleaned
    digest = hashlib.sha256(encoded).hexdigest()[:URL_HASH_CHARS]
    head = encoded[: URL_MAX - URL_HASH_CHARS - 1].decode("utf-8", "ignore")
    return f"{head}#{digest}"


def clean_json(value: JSONValue) -> JSONValue:
    """Strings inside JSON evidence get the same cleaning as columns (PostgreSQL refuses \\u0000)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_json(item) for key, item in value.items()}
    return value
