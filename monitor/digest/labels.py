"""Topic labels for headings, taken from the validated watchlist (``topics.<id>.label``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from monitor.errors import ConfigError

if TYPE_CHECKING:
    from monitor.config import AppConfig

log = logging.getLogger(__name__)


def topic_labels(config: AppConfig) -> dict[str, str]:
    """``{topic id: label}`` of the topics that have one.

    A digest is still worth sending without labels: a missing watchlist gives none silently, an
    invalid one with a warning, and the headings show the ids instead.
    """
    if not config.watchlists_path.is_file():
        return {}
    try:
        watchlist = config.watchlist
    except ConfigError as exc:
        log.warning("topic labels unavailable: %s", exc)
        return {}
    # The watchlist gives a topic without a label its id; those are left to the renderer's default.
    return {topic.id: topic.label for topic in watchlist.topics if topic.label and topic.label != topic.id}
