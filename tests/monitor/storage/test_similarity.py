"""Near-duplicate accuracy on a small syndication set (figures quoted in the README, "Syndicated copies")."""

from __future__ import annotations

import itertools

from monitor.storage.similarity import THRESHOLD, NearDuplicateIndex, fingerprint, from_fingerprint, minhash

from .syndication import OTHERS, RELEASES, copies

OUTLETS = ("Daily", "Wire", "Tribune")


def test_copies_are_found_and_different_stories_are_not_merged() -> None:
    index = NearDuplicateIndex()
    for key, release in RELEASES.items():
        index.add(f"regulator/{key}", minhash(release))  # type: ignore[arg-type]
    found, missed = 0, []
    for (key, release), outlet in itertools.product(RELEASES.items(), OUTLETS):
        for number, text in enumerate(copies(release, outlet)):
            match = index.best_match(minhash(text))  # type: ignore[arg-type]
            if match is not None and match.root == f"regulator/{key}":
                found += 1
            else:
                missed.append((key, outlet, number, match))
    assert not missed and found == len(RELEASES) * len(OUTLETS) * 3
    for text in OTHERS:
        assert index.best_match(minhash(text)) is None  # type: ignore[arg-type]


def test_copies_point_to_the_root_not_to_each_other() -> None:
    index = NearDuplicateIndex()
    release = RELEASES["cloud"]
    index.add("first", minhash(release))  # type: ignore[arg-type]
    wrapped, trimmed, _edited = copies(release, "Daily")
    index.add("second", minhash(wrapped), "first")  # type: ignore[arg-type]
    assert index.best_match(minhash(trimmed)).root == "first"  # type: ignore[union-attr,arg-type]
    # A revision of the first copy is not a copy of its own copies.
    assert index.best_match(minhash(release + " Updated."), exclude="first") is None  # type: ignore[arg-type]


def test_fingerprints_survive_storage() -> None:
    text = RELEASES["fine"]
    restored = from_fingerprint(fingerprint(text))  # type: ignore[arg-type]
    assert restored.jaccard(minhash(text)) == 1.0  # type: ignore[arg-type]
    assert len(fingerprint(text) or b"") == 512
    assert fingerprint("too short to compare") is None
    assert 0 < THRESHOLD < 1
