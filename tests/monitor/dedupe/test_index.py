"""The compact near-duplicate index: what datasketch's MinHashLSH finds, and its own edge cases
(re-added keys, full buckets, the pending buffer's merge, stale entries, an empty index)."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.dedupe import similarity
from monitor.dedupe.similarity import LSH_THRESHOLD, NUM_PERM, SCHEME, SEED, NearDuplicateIndex, Signature, lsh_params


def _signature(values: np.ndarray) -> Signature:
    return Signature(values.astype(np.uint32))


def _family(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` signatures: a few bases, each with variants sharing a random 20-95 % of its values."""
    bases = rng.integers(0, 2**32, (8, NUM_PERM), dtype=np.uint32)
    rows = []
    for number in range(count):
        row = bases[number % len(bases)].copy()
        changed = rng.random(NUM_PERM) > rng.uniform(0.2, 0.95)
        row[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
        rows.append(row)
    queries = [bases[n % len(bases)].copy() for n in range(40)]
    for query in queries:
        changed = rng.random(NUM_PERM) > rng.uniform(0.2, 0.95)
        query[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
    return np.array(rows), np.array(queries)


def _reference_best(lsh, signatures: dict[str, object], roots: dict[str, str], query, exclude: str | None):  # type: ignore[no-untyped-def]
    """The index as it was with datasketch (MinHashLSH candidates, MinHash.jaccard, same ranking)."""
    best = None
    for key in lsh.query(query):
        if key == exclude or roots[key] == exclude:
            continue
        value = float(query.jaccard(signatures[key]))
        if value < similarity.THRESHOLD:
            continue
        if best is None or value > best[2] or (value == best[2] and key < best[0]):
            best = (key, roots[key], value)
    return best


def test_the_bands_are_datasketchs() -> None:
    from datasketch import MinHashLSH

    for threshold in (0.1, 0.2, LSH_THRESHOLD, 0.5, 0.7, 0.9):
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        assert lsh_params(threshold) == (lsh.b, lsh.r), threshold
    assert lsh_params(0.5, 64) == (MinHashLSH(threshold=0.5, num_perm=64).b, MinHashLSH(threshold=0.5, num_perm=64).r)
    index = NearDuplicateIndex()
    assert (index.bands, index.rows) == (37, 3)  # datasketch 2.0.0 at 0.3 and 128 permutations
    assert (NearDuplicateIndex(threshold=0.2).bands, NearDuplicateIndex(threshold=0.2).rows) == lsh_params(0.2)


@pytest.mark.parametrize("pending_rows", [7, similarity.PENDING_ROWS])
def test_matches_are_those_of_datasketchs_lsh(monkeypatch: pytest.MonkeyPatch, pending_rows: int) -> None:
    from datasketch import MinHash, MinHashLSH

    monkeypatch.setattr(similarity, "PENDING_ROWS", pending_rows)  # 7: many merges on the way
    rows, queries = _family(np.random.default_rng(3), 300)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    theirs: dict[str, object] = {}
    roots: dict[str, str] = {}
    index = NearDuplicateIndex()
    for number, row in enumerate(rows):
        key, root = f"k{number:03d}", f"k{number % 5:03d}"
        theirs[key] = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=row)
        lsh.insert(key, theirs[key])
        roots[key] = root
        index.add(key, _signature(row), root)
    found = 0
    for number, query in enumerate([*queries, *rows[:40]]):
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=query)
        for exclude in (None, f"k{number % 5:03d}", f"k{number:03d}"):
            expected = _reference_best(lsh, theirs, roots, reference, exclude)
            match = index.best_match(_signature(query), exclude=exclude)
            assert (match.key, match.root, match.similarity) == expected if match else expected is None
            found += match is not None
        # A datasketch MinHash is taken as it is, as before.
        assert index.best_match(reference) == index.best_match(_signature(query))
    assert 0 < found < 3 * 80  # the set has matches and misses


def test_a_key_added_again_is_replaced() -> None:
    rng = np.random.default_rng(5)
    old, new = rng.integers(0, 2**32, (2, NUM_PERM), dtype=np.uint32)
    index = NearDuplicateIndex()
    index.add("a", _signature(old))
    index.add("a", _signature(new), "root")
    assert len(index) == 1
    assert index.best_match(_signature(old)) is None  # its old bands no longer lead to it
    match = index.best_match(_signature(new))
    assert match is not None and (match.key, match.root, match.similarity) == ("a", "root", 1.0)
    index.add("a", _signature(new))  # the same signature: only the root changes
    assert index.best_match(_signature(new)).root == "a"  # type: ignore[union-attr]


def test_many_re_adds_rebuild_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "PENDING_ROWS", 4)
    rng = np.random.default_rng(6)
    index = NearDuplicateIndex()
    others = rng.integers(0, 2**32, (10, NUM_PERM), dtype=np.uint32)
    for number, row in enumerate(others):
        index.add(f"other{number}", _signature(row))
    last = others[0]
    for _ in range(40):  # stale entries pass a quarter of the tables: rebuilt, not grown
        last = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
        index.add("moving", _signature(last))
    assert index._stale * 4 <= len(index) * index.bands
    assert sum(len(hashes) for hashes, _ in index._tables) + index._pending_count * index.bands <= 2 * 11 * index.bands
    assert index.best_match(_signature(last)).key == "moving"  # type: ignore[union-attr]
    for number, row in enumerate(others):
        assert index.best_match(_signature(row)).key == f"other{number}"  # type: ignore[union-attr]


def test_a_full_bucket_and_ties_go_to_the_smallest_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "PENDING_ROWS", 16)
    row = np.random.default_rng(7).integers(0, 2**32, NUM_PERM, dtype=np.uint32)
    index = NearDuplicateIndex()
    for number in reversed(range(100)):  # every band of every key in one bucket, across merges
        index.add(f"copy{number:03d}", _signature(row), "copy099")
    match = index.best_match(_signature(row))
    assert match is not None and (match.key, match.root, match.similarity) == ("copy000", "copy099", 1.0)
    # Excluding the root excludes its whole story.
    assert index.best_match(_signature(row), exclude="copy099") is None


def test_rows_are_found_in_the_tables_and_in_the_pending_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "PENDING_ROWS", 32)
    rows = np.random.default_rng(8).integers(0, 2**32, (32 * 3 + 5, NUM_PERM), dtype=np.uint32)
    index = NearDuplicateIndex()
    stored = [(f"stored{n}", None, row.astype("<u4").tobytes()) for n, row in enumerate(rows[:50])]
    index.load(stored)
    for number, row in enumerate(rows[50:]):
        index.add(f"added{number}", _signature(row))
    assert 0 < index._pending_count < 32 and len(index._tables[0][0]) > 50  # merged, and some pending
    for key, signature in [
        *((k, np.frombuffer(d, "<u4")) for k, _r, d in stored),
        *((f"added{n}", r) for n, r in enumerate(rows[50:])),
    ]:
        match = index.best_match(_signature(signature))
        assert match is not None and match.key == key and match.similarity == 1.0
    assert len(index) == len(rows)


def test_an_empty_index() -> None:
    index = NearDuplicateIndex()
    row = np.arange(NUM_PERM, dtype=np.uint32)
    assert len(index) == 0 and index.best_match(_signature(row)) is None
    index.load([])
    assert len(index) == 0 and index.best_match(_signature(row), exclude="x") is None
    index.add("only", _signature(row))
    assert index.best_match(_signature(row), exclude="only") is None
    assert index.best_match(_signature(row)).key == "only"  # type: ignore[union-attr]


def test_a_signature_of_another_size_is_refused() -> None:
    index = NearDuplicateIndex()
    with pytest.raises(ValueError, match="128 integer hash values"):
        index.add("short", Signature(np.zeros(64, dtype=np.uint32)))
    with pytest.raises(ValueError, match="128 integer hash values"):
        index.load([("short", None, b"\0" * 256)])
