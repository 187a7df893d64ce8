"""The extraction quality gate: the text the pipeline stores, scored on 181 real article pages.

    python eval/score_extraction.py [--corpus DIR] [--pin]

The pages and their human-made article bodies are the article-extraction-benchmark's (MIT; held
outside the repository, in ``../shared/corpus/aeb``, or where ``MONITOR_AEB_CORPUS`` says). Each
page goes through ``extract_document`` and the control-character cleaning, as a crawl stores it,
and is scored as that benchmark scores (its README; the figures reproduce its published
trafilatura row): 4-token shingles as a multiset, per page precision and recall, precision
averaged over the pages with a prediction, recall over all, F1 of the two averages.

The floors in ``eval/extraction_floors.json`` sit just under the measured figures and are pinned to
the corpus's SHA-256, as trafilatura's own evaluation pins its set: a change to extraction (a
trafilatura upgrade, a stoplist, a fallback) that loses text on real pages fails ``make test``;
another corpus is an error, not a pass. ``--pin`` rewrites the floors from this run.

Exit codes: 0 at or above the floors, 1 below, 2 no corpus or not the corpus of the floors.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "extraction_floors.json"
CANDIDATES = (ROOT.parent / "shared" / "corpus" / "aeb", Path("/work/shared/corpus/aeb"))
# Floors are the measured figures minus this margin, rounded down (room for float noise only).
MARGIN = 0.002

_TOKEN = re.compile(r"\w+")


def default_corpus() -> Path | None:
    """``MONITOR_AEB_CORPUS``, else the first candidate folder that holds the ground truth."""
    named = os.environ.get("MONITOR_AEB_CORPUS")
    if named:
        return Path(named)
    return next((path for path in CANDIDATES if (path / "ground-truth.json").is_file()), None)


def corpus_sha256(corpus: Path) -> str:
    """One digest over the ground truth and every page, in name order."""
    digest = hashlib.sha256((corpus / "ground-truth.json").read_bytes())
    for page in sorted((corpus / "html").glob("*.html.gz")):
        digest.update(page.name.encode())
        digest.update(hashlib.sha256(page.read_bytes()).digest())
    return digest.hexdigest()


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


@dataclass(frozen=True)
class Score:
    pages: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_pages(pairs: list[tuple[str, str]]) -> Score:
    """The benchmark's score of (true body, extracted text) pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    for truth, predicted in pairs:
        true, pred = _shingles(truth), _shingles(predicted)
        tp = sum((true & pred).values())
        fp = sum((pred - true).values())
        fn = sum((true - pred).values())
        if tp + fp + fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if pred:
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    return Score(len(pairs), precision, sum(recalls) / len(recalls) if recalls else 0.0)


def extract_corpus(corpus: Path) -> list[tuple[str, str]]:
    """(true body, stored text) for every page, extracted as a crawl extracts and cleans it."""
    from monitor.controls import strip_controls
    from monitor.extraction import extract_document

    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pairs = []
    for name in sorted(truth):
        body = gzip.decompress((corpus / "html" / f"{name}.html.gz").read_bytes())
        result = extract_document(body, truth[name].get("url"), "text/html")
        pairs.append((truth[name]["articleBody"], strip_controls(result.text)))
    return pairs


def _floored(value: float) -> float:
    return int((value - MARGIN) * 10_000) / 10_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None, help="the AEB folder (ground-truth.json, html/)")
    ap.add_argument("--floors", type=Path, default=FLOORS)
    ap.add_argument("--pin", action="store_true", help="write the floors from this run")
    args = ap.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if corpus is None or not (corpus / "ground-truth.json").is_file():
        print(f"extraction gate: no AEB corpus at {corpus or ' or '.join(map(str, CANDIDATES))}", file=sys.stderr)
        return 2
    sha = corpus_sha256(corpus)
    floors = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.exists() else {}
    if not args.pin and floors.get("corpus_sha256") != sha:
        print(f"extraction gate: {corpus} is not the corpus the floors were measured on ({sha[:12]})", file=sys.stderr)
        return 2
    score = score_pages(extract_corpus(corpus))
    figures = {"f1": score.f1, "precision": score.precision, "recall": score.recall}
    print(f"AEB extraction ({score.pages} pages): " + "  ".join(f"{k} {v:.4f}" for k, v in figures.items()))
    if args.pin:
        pinned = {"corpus_sha256": sha, **{name: _floored(value) for name, value in figures.items()}}
        args.floors.write_text(json.dumps(pinned, indent=2) + "\n", encoding="utf-8")
        print(f"floors pinned in {args.floors}")
        return 0
    below = [f"{name} {value:.4f} < {floors[name]}" for name, value in figures.items() if value < floors[name]]
    for line in below:
        print(f"extraction gate: below the floor: {line}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
