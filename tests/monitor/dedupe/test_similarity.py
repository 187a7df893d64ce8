"""Near-duplicate accuracy on a small syndication set (figures quoted in the README, "Syndicated copies")."""

from __future__ import annotations

import hashlib
import itertools
import re
import subprocess
import sys

import numpy as np

from monitor.dedupe.similarity import (
    NUM_PERM,
    SCHEME,
    SEED,
    THRESHOLD,
    NearDuplicateIndex,
    affine32_permutations,
    fingerprint,
    from_fingerprint,
    minhash,
)
from tests.helpers.syndication import OTHERS, RELEASES, copies

OUTLETS = ("Daily", "Wire", "Tribune")
# sha256 of the signature of RELEASES["fine"], made with datasketch 2.0.0 before the numpy path.
PINNED_FINE = "a3a1997b394e6026"


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


def _datasketch_fingerprint(text: str) -> bytes | None:
    """The signature as datasketch makes it (the code before the numpy path), for comparison."""
    from datasketch import MinHash

    tokens: list[str] = []
    for token in re.findall(r"\w+", text.casefold()):
        if re.search(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]", token):
            tokens.extend(token)
        else:
            tokens.append(token)
    if len(tokens) < 40:
        return None
    shingles = {" ".join(tokens[i : i + 3]).encode() for i in range(len(tokens) - 2)}
    signature = MinHash(num_perm=128, seed=1, scheme="affine32")
    signature.update_batch(list(shingles))
    return signature.hashvalues.astype("<u4").tobytes()


MIXED_SCRIPTS = (
    "Die Behörde ordnete an. 個人情報保護委員会は、越境移転に関する指針を公表した。"
    "개인정보보호위원회는 과징금을 부과했다 ABC日本語DEF mixed tokens 数据出境安全评估办法 " * 4
)


def test_signatures_are_datasketchs_bit_for_bit() -> None:
    # Stored signatures must stay comparable with new ones: the numpy path must give exactly the
    # values of datasketch's MinHash.update_batch (checked on the 181 AEB pages when it was made).
    texts = [*RELEASES.values(), *OTHERS, MIXED_SCRIPTS, "word " * 39, "word " * 40, "ÉTÉ été Été " * 30]
    texts += [text for release in RELEASES.values() for text in copies(release, "Wire")]
    for text in texts:
        assert fingerprint(text) == _datasketch_fingerprint(text), text[:60]
    # And a pinned value, in case datasketch itself changes its scheme.
    assert hashlib.sha256(fingerprint(RELEASES["fine"]) or b"").hexdigest()[:16] == PINNED_FINE


def test_a_signature_from_storage_is_the_same_minhash() -> None:
    signature = minhash(MIXED_SCRIPTS)
    restored = from_fingerprint(fingerprint(MIXED_SCRIPTS))  # type: ignore[arg-type]
    assert signature is not None
    assert (signature.hashvalues == restored.hashvalues).all()
    assert signature.hashvalues.dtype == restored.hashvalues.dtype == np.uint32
    assert signature.jaccard(restored) == 1.0


def test_permutations_are_datasketchs_bit_for_bit() -> None:
    # Drawn without datasketch (no scipy import at run time), from the same RandomState stream.
    from datasketch import MinHash

    a, b = affine32_permutations()
    reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    assert a.dtype == b.dtype == reference.dtype == np.uint32
    assert (a == reference[0]).all() and (b == reference[1]).all()
    other = MinHash(num_perm=64, seed=7, scheme=SCHEME).permutations
    assert all((mine == theirs).all() for mine, theirs in zip(affine32_permutations(64, 7), other, strict=True))


def test_the_jaccard_estimate_is_datasketchs() -> None:
    from datasketch import MinHash

    first, second = RELEASES["fine"], copies(RELEASES["fine"], "Tribune")[2]
    ours = minhash(first).jaccard(minhash(second))  # type: ignore[union-attr,arg-type]
    theirs = [
        MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=minhash(text).hashvalues)  # type: ignore[union-attr]
        for text in (first, second)
    ]
    assert 0 < ours < 1 and ours == theirs[0].jaccard(theirs[1])


def test_the_runtime_path_imports_neither_datasketch_nor_scipy() -> None:
    # scipy costs about 50 MB in each process that imports it: the crawl process and each worker.
    code = (
        "import sys, monitor.dedupe.similarity, pipelines.extract_worker, pipelines.near_duplicate\n"
        "print(sorted(name for name in ('datasketch', 'scipy') if name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
