"""Cleans text that one backend or the other refuses, the same way for both."""

from __future__ import annotations

from monitor.storage.models import TITLE_MAX, URL_MAX


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
    """URLs longer than the column are cut; the canonical form is what makes an article unique."""
    return clean_text(value)[:URL_MAX]
