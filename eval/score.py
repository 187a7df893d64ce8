"""Quality gate for the matchers: precision, recall and F1 on the annotated corpus.

Usage::

    python eval/score.py [--corpus eval/corpus.jsonl] [--floors eval/floors.json]
                         [--watchlists config/watchlists.yaml] [--errors] [--json]

Scores are micro-averaged over (text, label) pairs. Topics: the topic ids expected for each text.
Jurisdictions: the codes a text *mentions* by the labelling rules of lexicon.md section 3.1 (names,
aliases, demonyms, metonyms, places, public institutions and laws; not language names, not
organisation or product names, not continents) -- i.e. the item contract's
``mentioned_countries`` (``MatchResult.mentioned``), not ``countries``, the jurisdictions the item
is about, which the real-text gate (eval/score_real.py) scores.

Exits 1 when a figure is below its floor in eval/floors.json, 2 on a bad corpus or floors file.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.matching import Matcher, languages  # noqa: E402

REQUIRED = ("id", "lang", "title", "text", "topics", "countries")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, item_id: str, expected: set[str], got: set[str]) -> None:
        self.tp += len(expected & got)
        for label in sorted(got - expected):
            self.fp += 1
            self.errors.append(f"{item_id}: false positive {label}")
        for label in sorted(expected - got):
            self.fn += 1
            self.errors.append(f"{item_id}: missed {label}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(path: Path) -> list[dict]:
    items = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        missing = [k for k in REQUIRED if k not in item]
        if missing:
            raise ValueError(f"{path}:{n}: missing {', '.join(missing)}")
        if item["id"] in seen:
            raise ValueError(f"{path}:{n}: duplicate id {item['id']}")
        if item["lang"] not in languages.watchlist_codes():
            raise ValueError(
                f"{path}:{n}: lang {item['lang']!r} is not a watchlist language of monitor/matching/languages.py"
            )
        seen.add(item["id"])
        items.append(item)
    return items


def score(corpus: list[dict], matcher: Matcher) -> tuple[Counts, Counts]:
    topics, countries = Counts(), Counts()
    for item in corpus:
        result = matcher.match(item["title"], item["text"], item["lang"])
        topics.add(item["id"], set(item["topics"]), {t.topic for t in result.topics})
        countries.add(item["id"], set(item["countries"]), set(result.mentioned))
    return topics, countries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus.jsonl")
    ap.add_argument("--floors", type=Path, default=ROOT / "eval" / "floors.json")
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument("--errors", action="store_true", help="list every false positive and miss")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    try:
        corpus = load_corpus(args.corpus)
        floors = json.loads(args.floors.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    matcher = Matcher.from_file(args.watchlists)
    topics, countries = score(corpus, matcher)
    figures = {
        "items": len(corpus),
        "topic_precision": round(topics.precision, 4),
        "topic_recall": round(topics.recall, 4),
        "topic_f1": round(topics.f1, 4),
        "jurisdiction_precision": round(countries.precision, 4),
        "jurisdiction_recall": round(countries.recall, 4),
        "jurisdiction_f1": round(countries.f1, 4),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{len(corpus)} texts")
        print(f"{'':14} {'precision':>9} {'recall':>7} {'F1':>6}  floor")
        for name, c, key in (("topics", topics, "topic_f1"), ("jurisdictions", countries, "jurisdiction_f1")):
            print(f"{name:14} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f}  {floors.get(key, 0):.3f}")
    if args.errors:
        for line in topics.errors + countries.errors:
            print(line)
    failed = [k for k, floor in floors.items() if figures.get(k, 0.0) < floor]
    for key in failed:
        print(f"FAIL: {key} {figures[key]:.4f} < floor {floors[key]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
