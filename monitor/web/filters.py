"""Jinja2 filters: dates in one format, scores as percentages, scraped strings as plain text."""

from __future__ import annotations

from datetime import datetime

from monitor.digest.safety import plain, safe_url


def day(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def stamp(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else ""


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


FILTERS = {"day": day, "stamp": stamp, "percent": percent, "score": score, "plain": plain, "safe_url": safe_url}
