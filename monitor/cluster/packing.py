"""Due sources into jobs: sources that share a politeness key always travel in the same job.

A group is a connected component of "shares a key" (a source with hosts under two domains joins
both domains' groups); whole groups are packed greedily, in the order given, into jobs of at
most ``batch_size`` sources. A group larger than that is one job of its own: splitting it would
put one domain in two processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Batch:
    """The sources of one job and their politeness keys."""

    sources: tuple[str, ...]
    keys: tuple[str, ...]


def groups(ordered: Sequence[str], keys_by_source: Mapping[str, set[str]]) -> list[Batch]:
    """Connected components of the sources over shared keys, in the order of their first source."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for source in ordered:
        for key in keys_by_source.get(source, set()):
            parent[find(f"s:{source}")] = find(f"k:{key}")
        find(f"s:{source}")
    members: dict[str, list[str]] = {}
    for source in ordered:
        members.setdefault(find(f"s:{source}"), []).append(source)
    return [
        Batch(tuple(sources), tuple(sorted({key for source in sources for key in keys_by_source.get(source, set())})))
        for sources in members.values()
    ]


def pack(components: Sequence[Batch], batch_size: int) -> list[Batch]:
    """Whole groups into jobs of at most ``batch_size`` sources (an oversized group alone)."""
    jobs: list[Batch] = []
    sources: list[str] = []
    keys: set[str] = set()
    for group in components:
        if sources and len(sources) + len(group.sources) > batch_size:
            jobs.append(Batch(tuple(sources), tuple(sorted(keys))))
            sources, keys = [], set()
        sources.extend(group.sources)
        keys.update(group.keys)
    if sources:
        jobs.append(Batch(tuple(sources), tuple(sorted(keys))))
    return jobs
