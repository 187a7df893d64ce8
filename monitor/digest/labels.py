"""Topic labels for headings, read from ``watchlists.yaml`` (``topics.<id>.label``)."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def topic_labels(watchlists_path: Path) -> dict[str, str]:
    """``{topic id: label}``; a missing or unreadable file gives no labels (ids are shown instead)."""
    from monitor.config.loader import read_yaml
    from monitor.errors import ConfigError

    if not watchlists_path.is_file():
        return {}
    try:
        data = read_yaml(watchlists_path)
    except ConfigError as exc:
        log.warning("topic labels unavailable: %s", exc)
        return {}
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, dict):
        return {}
    return {
        str(topic_id): str(spec["label"])
        for topic_id, spec in topics.items()
        if isinstance(spec, dict) and spec.get("label")
    }
