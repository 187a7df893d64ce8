"""Near-duplicate detection: MinHash signatures of word shingles, looked up with LSH.

A press release republished by three outlets differs in the outlets' headers, bylines, an added
paragraph or two and related-links boxes; the release itself is shared. Word 3-shingles make
Jaccard similarity high for such copies and low for two different articles on the same subject,
which share vocabulary but rarely three words in a row.

The signatures and the index are datasketch's (its ``affine32`` MinHash, its MinHashLSH banding),
reimplemented in numpy: datasketch imports scipy (about 50 MB in every process that imports it)
and its MinHashLSH holds about 12 KB an article (a MinHash object, and a key and a set in each of
37 band dicts), which made a crawl process grow with the 30 days of signatures it loads. Here an
article costs about 1.3 KB and nothing imports datasketch; tests/monitor/dedupe/test_similarity.py
checks the values, the LSH parameters and the candidates against datasketch's own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from monitor.matching import languages

# 128 permutations: the Jaccard estimate's standard error is about 1/sqrt(128) ~ 0.09, enough to
# tell 0.8 copies from 0.1 strangers; a signature costs 512 bytes stored.
NUM_PERM = 128
SEED = 1
# Named, not defaulted: stored signatures are only comparable with ones made the same way.
SCHEME = "affine32"
# Words per shingle: 3 keeps shared topic vocabulary ("data protection authority") from making
# unrelated articles look alike, while a copy with edits still shares most of its shingles.
SHINGLE_WORDS = 3
# Estimated Jaccard at or above which two texts are one story. Measured on the syndication set in
# tests/monitor/dedupe/test_similarity.py: copies with an outlet's intro and outro score 0.55-0.9,
# different stories on the same topic score below 0.1; 0.5 sits in the wide gap, nearer the copies
# because a missed copy costs a duplicate line in the digest but a false merge hides a story.
THRESHOLD = 0.5
# LSH bands are tuned to this lower value so that a copy just above THRESHOLD is almost surely a
# candidate (recall over 99% at 0.5); the exact estimate then decides. Tuned at THRESHOLD itself,
# LSH missed a 0.69 copy in the test set (its candidate probability there is only about 0.98).
LSH_THRESHOLD = 0.3
# Below this many words a text (a teaser, a PDF cover page) is too short for a reliable estimate.
MIN_WORDS = 40

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Shingle words; in unspaced scripts (``languages.unspaced_re()``) each character counts as one."""
    folded = text.casefold()
    tokens = _WORD.findall(folded)
    unspaced = languages.unspaced_re()
    if unspaced.search(folded) is None:
        return tokens  # the common case: no token needs splitting into characters
    split: list[str] = []
    for token in tokens:
        if unspaced.search(token):
            split.extend(token)
        else:
            split.append(token)
    return split


def affine32_permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutations ``(a, b)``, drawn from numpy's RandomState exactly as
    ``MinHash._init_permutations`` draws them: ``a`` odd (a bijection modulo 2**32), then ``b``."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


# datasketch's affine32 scheme, computed here with numpy over the whole shingle set at once:
# datasketch calls a Python hash function per shingle, which was most of the signature's 1.4 ms
# a page. The values are datasketch's, bit for bit (tests/monitor/dedupe/test_similarity.py
# checks them against ``MinHash.update_batch``): SHA-1's first 4 bytes little-endian, the
# MurmurHash3 finalizer, then ``a * h + b`` modulo 2**32 per permutation, the minimum over the
# shingles.
_A, _B = affine32_permutations()
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_SHA1 = hashlib.sha1


def _hashvalues(shingles: Iterable[str]) -> np.ndarray:
    digests = b"".join([_SHA1(shingle.encode()).digest()[:4] for shingle in shingles])
    hv = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    signature: np.ndarray = (hv[:, None] * _A + _B).min(axis=0)
    return signature


def _signature_values(text: str) -> np.ndarray | None:
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    shingles = {" ".join(gram) for gram in zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False)}
    return _hashvalues(shingles)


class HasHashValues(Protocol):
    """A signature as the index takes it: ours, or a datasketch ``MinHash`` made the same way."""

    @property
    def hashvalues(self) -> np.ndarray: ...


class Signature:
    """A text's MinHash: ``NUM_PERM`` uint32 values (datasketch's ``hashvalues``, and its ``jaccard``)."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)

    def jaccard(self, other: HasHashValues) -> float:
        """The estimated Jaccard similarity: the fraction of equal values, as datasketch computes it."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / float(len(self.hashvalues))


def minhash(text: str) -> Signature | None:
    """The signature of ``text``, or None when it is too short to compare."""
    values = _signature_values(text)
    return None if values is None else Signature(values)


def fingerprint(text: str) -> bytes | None:
    """``minhash`` as bytes for storage; values are below 2**32, so 4 bytes each suffice."""
    values = _signature_values(text)
    return None if values is None else values.astype("<u4").tobytes()


def from_fingerprint(data: bytes) -> Signature:
    return Signature(np.frombuffer(data, dtype="<u4").astype(np.uint32))


def _probability_integrals(threshold: float, bands: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's false positive and false negative areas for each (bands, rows) pair.

    The candidate probability ``1 - (1 - s**r)**b`` is a polynomial of degree ``b * r <= 128``
    in ``s``, so Gauss-Legendre quadrature with 128 nodes integrates it exactly (to rounding),
    where datasketch calls scipy's adaptive ``quad``."""
    nodes, weights = np.polynomial.legendre.leggauss(128)

    def area(low: float, high: float, negative: bool) -> np.ndarray:
        s = (high - low) / 2 * nodes + (high + low) / 2
        missed = (1 - s[None, :] ** rows[:, None].astype(float)) ** bands[:, None].astype(float)
        values = missed if negative else 1 - missed
        result: np.ndarray = (values * weights).sum(axis=1) * (high - low) / 2
        return result

    return area(0.0, threshold, False), area(threshold, 1.0, True)


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) minimising the false positive plus false negative areas, weighted
    equally: what ``datasketch.MinHashLSH(threshold, num_perm)`` picks (37 bands of 3 at 0.3,
    pinned by a test against datasketch); the first pair wins a tie, as in its loop."""
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in pairs])
    rows = np.array([r for _, r in pairs])
    false_positive, false_negative = _probability_integrals(threshold, bands, rows)
    best = int(np.argmin(false_positive * 0.5 + false_negative * 0.5))
    return pairs[best]


# splitmix64's finalizer: the band's values are folded into one 64-bit integer. A collision of
# two different bands only adds a candidate, which the exact band comparison then drops.
_MIX = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27), np.uint64(0x94D049BB133111EB), np.uint64(31))
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _band_hashes(chunks: np.ndarray, band: np.ndarray | int) -> np.ndarray:
    """One uint64 per band: ``chunks`` is (..., rows) uint32 values, ``band`` their band numbers
    (mixed in, so that equal values in two bands do not collide in one band's table)."""
    s1, m1, s2, m2, s3 = _MIX
    hashes = np.empty(chunks.shape[:-1], dtype=np.uint64)
    hashes[...] = band
    hashes *= _GOLDEN
    for column in range(chunks.shape[-1]):
        hashes ^= chunks[..., column]
        hashes ^= hashes >> s1
        hashes *= m1
        hashes ^= hashes >> s2
        hashes *= m2
        hashes ^= hashes >> s3
    return hashes


@dataclass(frozen=True)
class Match:
    key: str
    root: str
    similarity: float


# Rows added since the last merge into the sorted band tables: scanned by comparison on each
# lookup (2,048 x 37 hashes, about 50 us), merged when full (an insertion into each sorted band,
# linear in the index's size, so a crawl adding n articles pays O(n**2 / 2048) copies in all).
PENDING_ROWS = 2048


class NearDuplicateIndex:
    """In-memory LSH over signatures; each key remembers the root (first-seen copy) of its story.

    What datasketch's MinHashLSH with the same bands would find, held compactly: the signatures
    as rows of one uint32 matrix, and per band a sorted array of band hashes with the row of each
    (12 bytes a band an article), plus a small buffer of rows not merged yet. About 1.3 KB an
    article with its key, against 12 KB in MinHashLSH.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.bands, self.rows = lsh_params(min(LSH_THRESHOLD, threshold))
        self._banded = self.bands * self.rows  # datasketch bands the first b * r values only
        self._band_numbers = np.arange(self.bands, dtype=np.uint64)
        self._values = np.empty((0, NUM_PERM), dtype=np.uint32)  # row -> signature (spare rows at the end)
        self._keys: list[str] = []
        self._roots: list[str] = []
        self._row_of: dict[str, int] = {}
        empty = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32))
        self._tables: list[tuple[np.ndarray, np.ndarray]] = [empty] * self.bands
        self._pending = np.empty((PENDING_ROWS, self.bands), dtype=np.uint64)
        self._pending_rows = np.empty(PENDING_ROWS, dtype=np.int32)
        self._pending_count = 0
        # Table entries of replaced signatures: harmless (the band comparison drops them), purged
        # by a rebuild once they are a quarter of the tables.
        self._stale = 0

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str, signature: HasHashValues, root: str | None = None) -> None:
        """Index ``signature`` under ``key``; a key added again is replaced, as MinHashLSH's remove + insert."""
        row, changed = self._store(key, _values_of(signature), root)
        if not changed:
            return
        if self._pending_count == len(self._pending_rows):
            self._merge()
        self._pending[self._pending_count] = self._hashes_of_row(row)
        self._pending_rows[self._pending_count] = row
        self._pending_count += 1

    def load(self, rows: Iterable[tuple[str, str | None, bytes]]) -> None:
        """Add stored (canonical_url, duplicate_of, fingerprint) rows, then sort the bands once."""
        for key, duplicate_of, data in rows:
            self._store(key, _checked(np.frombuffer(data, dtype="<u4")), duplicate_of)
        self._rebuild()

    def best_match(self, signature: HasHashValues, exclude: str | None = None) -> Match | None:
        """The most similar stored text at or above the threshold, other than ``exclude`` itself."""
        values = _values_of(signature)
        rows = self._candidates(values)
        if rows.size == 0:
            return None
        stored = self._values[rows]
        # MinHashLSH's candidates exactly: a whole band equal (drops hash collisions and stale entries).
        shape = (-1, self.bands, self.rows)
        same_band = (stored[:, : self._banded].reshape(shape) == values[: self._banded].reshape(shape[1:])).all(axis=2)
        keep = same_band.any(axis=1)
        similarities = np.count_nonzero(stored[keep] == values, axis=1) / float(NUM_PERM)
        best: Match | None = None
        for row, similarity in zip(rows[keep].tolist(), similarities.tolist(), strict=True):
            key, root = self._keys[row], self._roots[row]
            if key == exclude or root == exclude:
                continue
            if similarity < self.threshold:
                continue  # LSH candidates are probable, not certain; the estimate decides
            if best is None or similarity > best.similarity or (similarity == best.similarity and key < best.key):
                best = Match(key, root, similarity)
        return best

    def _store(self, key: str, values: np.ndarray, root: str | None) -> tuple[int, bool]:
        """The row of ``key``, holding ``values`` now; and whether its bands must be (re)indexed."""
        root = root or key
        known = self._row_of.get(root)
        if known is not None:
            root = self._keys[known]  # one string for a story's root, not one per copy
        row = self._row_of.get(key)
        if row is not None:
            self._roots[row] = root
            if np.array_equal(self._values[row], values):
                return row, False
            self._stale += self.bands
        else:
            row = len(self._keys)
            if row == len(self._values):
                grown = np.empty((max(1024, row + row // 4), NUM_PERM), dtype=np.uint32)
                grown[:row] = self._values
                self._values = grown
            self._keys.append(key)
            self._roots.append(root)
            self._row_of[key] = row
        self._values[row] = values
        return row, True

    def _hashes_of_row(self, row: int) -> np.ndarray:
        return _band_hashes(self._values[row, : self._banded].reshape(self.bands, self.rows), self._band_numbers)

    def _candidates(self, values: np.ndarray) -> np.ndarray:
        """Rows sharing a band hash with ``values``: from the sorted tables and the pending buffer."""
        query = _band_hashes(values[: self._banded].reshape(self.bands, self.rows), self._band_numbers)
        found = []
        for band, (hashes, rows) in enumerate(self._tables):
            wanted = query[band]
            low = int(hashes.searchsorted(wanted))
            if low < hashes.size and hashes[low] == wanted:
                found.append(rows[low : int(hashes.searchsorted(wanted, side="right"))])
        if self._pending_count:
            pending = self._pending[: self._pending_count]
            found.append(self._pending_rows[: self._pending_count][(pending == query).any(axis=1)])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int32)

    def _merge(self) -> None:
        """Insert the pending rows into each band's sorted table (or rebuild when stale entries pile up)."""
        if self._stale * 4 > len(self._keys) * self.bands:
            self._rebuild()
            return
        count = self._pending_count
        rows = self._pending_rows[:count]
        for band, (hashes, table_rows) in enumerate(self._tables):
            new = self._pending[:count, band]
            order = np.argsort(new, kind="stable")
            at = hashes.searchsorted(new[order], side="right")
            self._tables[band] = (np.insert(hashes, at, new[order]), np.insert(table_rows, at, rows[order]))
        self._pending_count = 0

    def _rebuild(self) -> None:
        """Every band's table from the signature matrix, one band at a time (a band's arrays at most
        in flight); the pending buffer and the stale entries are gone after it."""
        count = len(self._keys)
        values = self._values[:count]
        for band in range(self.bands):
            hashes = _band_hashes(values[:, band * self.rows : (band + 1) * self.rows], band)
            order = np.argsort(hashes, kind="stable")
            self._tables[band] = (hashes[order], order.astype(np.int32))
        self._pending_count = 0
        self._stale = 0


def _values_of(signature: HasHashValues) -> np.ndarray:
    return _checked(np.asarray(signature.hashvalues))


def _checked(values: np.ndarray) -> np.ndarray:
    if values.shape != (NUM_PERM,) or values.dtype.kind not in "iu":
        raise ValueError(f"a signature is {NUM_PERM} integer hash values, got {values.dtype} {values.shape}")
    return values.astype(np.uint32, copy=False)
