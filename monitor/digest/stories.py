"""Stories for the digest: the shared rule of ``monitor.storage.stories``, under its old name."""

from __future__ import annotations

from monitor.storage.stories import KIND_RANK, OTHER_RANK, Story, group_stories, primary_of, stories_for

__all__ = ["KIND_RANK", "OTHER_RANK", "Story", "group_stories", "primary_of", "stories_for"]
