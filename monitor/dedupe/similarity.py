"""Near-duplicate detection: MinHash signatures of word shingles, looked up with LSH (datasketch).

A press release republished by three outlets differs in the outlets' headers, bylines, an added
paragraph or two and related-links boxes; the release itself is shared. Word 3-shingles make
Jaccard similarity high for such copies and low for two different articles on the same subject,
which share vocabulary but rarely three words in a row.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

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


# datasketch's affine32 scheme, computed here with numpy over the whole shingle set at once:
# datasketch calls a Python hash function per shingle and draws the permutations from a fresh
# RandomState for every MinHash, which together were most of the signature's 1.4 ms a page.
# The values are datasketch's, bit for bit (tests/monitor/dedupe/test_similarity.py checks them
# against ``MinHash.update_batch``): SHA-1's first 4 bytes little-endian, the MurmurHash3
# finalizer, then ``a * h + b`` modulo 2**32 per permutation, the minimum over the shingles.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
_A = _PERMUTATIONS[0].astype(np.uint32)
_B = _PERMUTATIONS[1].astype(np.uint32)
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


def _minhash(values: np.ndarray) -> MinHash:
    # The shared permutations spare each MinHash the RandomState draw of its own.
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, permutations=_PERMUTATIONS, scheme=SCHEME)


def minhash(text: str) -> MinHash | None:
    """The signature of ``text``, or None when it is too short to compare."""
    values = _signature_values(text)
    return None if values is None else _minhash(values)


def fingerprint(text: str) -> bytes | None:
    """``minhash`` as bytes for storage; values are below 2**32, so 4 bytes each suffice."""
    values = _signature_values(text)
    return None if values is None else values.astype("<u4").tobytes()


def from_fingerprint(data: bytes) -> MinHash:
    return _minhash(np.frombuffer(data, dtype="<u4").astype(np.uint32))


@dataclass(frozen=True)
class Match:
    key: str
    root: str
    similarity: float


class NearDuplicateIndex:
    """In-memory LSH over signatures; each key remembers the root (first-seen copy) of its story."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=min(LSH_THRESHOLD, threshold), num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._roots: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, key: str, signature: MinHash, root: str | None = None) -> None:
        if key in self._signatures:
            self._lsh.remove(key)
        self._lsh.insert(key, signature)
        self._signatures[key] = signature
        self._roots[key] = root or key

    def load(self, rows: Iterable[tuple[str, str | None, bytes]]) -> None:
        """Add stored (canonical_url, duplicate_of, fingerprint) rows."""
        for key, duplicate_of, data in rows:
            self.add(key, from_fingerprint(data), duplicate_of)

    def best_match(self, signature: MinHash, exclude: str | None = None) -> Match | None:
        """The most similar stored text at or above the threshold, other than ``exclude`` itself."""
        best: Match | None = None
        for key in self._lsh.query(signature):
            if key == exclude or self._roots.get(key) == exclude:
                continue
            similarity = float(signature.jaccard(self._signatures[key]))
            if similarity < self.threshold:
                continue  # LSH candidates are probable, not certain; the estimate decides
            if best is None or similarity > best.similarity or (similarity == best.similarity and key < best.key):
                best = Match(key, self._roots[key], similarity)
        return best
