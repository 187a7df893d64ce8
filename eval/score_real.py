"""Quality gate on real published text: does a flag mean "this article is about the topic"?

Usage::

    python eval/score_real.py [--part test|tune|all] [--errors] [--first-reading] [--json] [--pin]

Reads ``eval/real/articles.jsonl`` (rebuilt by ``eval/real/build.py``; most of its texts may not
be redistributed, so it is not committed) and the labels in ``eval/real/labels/*.tsv``, which
were made by reading each text, resolved with the blind second and third readings of
``eval/real/readings/`` (the majority decides; ``--first-reading`` ignores them). Every item
falls once and for all into the tuning part or the test part by a hash of its id (``part_of``),
so adding items never moves old ones, and no rule change may be tuned on the test part.

Figures, per part:
- flag precision and recall: an item is flagged when any topic fires; it is on topic when its
  label says so. Overall, per language and per data set.
- topic precision and recall: (item, topic) pairs, per topic.
- jurisdiction micro-F1 of ``countries`` (the jurisdictions the item is about) against the
  labelled ones, over the on-topic items.

``eval/real/floors.json`` pins floors just under the measured test figures together with the
SHA-256 of the corpus and labels (as trafilatura's eval gate pins its baseline): a different
corpus is an error (exit 2), not a silent pass; a figure under its floor exits 1. ``--pin``
rewrites the floors from this run (0.01 under each measured figure).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from score import Counts  # noqa: E402

from monitor.matching import Matcher, MatchResult, relevance  # noqa: E402

REAL = ROOT / "eval" / "real"
ARTICLES = REAL / "articles.jsonl"
LABELS = REAL / "labels"
# Later blind readings of part of the corpus, by readers who saw neither the first label nor the
# matcher: every first-read positive, every first-read borderline call and a fixed random sample of
# the other negatives were read a second time, and every item where the two readings disagree on
# "on topic" a third time. The label is the majority; `resolve` says how.
READINGS = REAL / "readings"
READING_FILES = ("second.tsv", "third.tsv")
FLOORS = REAL / "floors.json"
# The share of items in the tuning part. The rest is the test part, which no change is tuned on.
TUNE_SHARE = 0.4
SPLIT_SALT = "news-monitor-real-split-v1"
# A language's precision floor counts only where the test part holds this many on-topic items.
MIN_POSITIVES_FOR_LANGUAGE = 20
# Floors sit this far under the measured figures, so that noise-free reruns pass and a real
# regression fails.
FLOOR_MARGIN = 0.01
# The jurisdiction each data set publishes from, the fallback for a text that names none (the
# role `jurisdiction` of config/sources.yaml plays for a configured source). None: mixed.
DATASET_JURISDICTION = {
    "10kGNAD": "AT",
    "BBC News (Greene & Cunningham 2006)": "GB",
    "Fake.br-Corpus (true)": "BR",
    "THUCNews headlines (test split)": "CN",
    "DICE Italian Crime News (Gazzetta di Modena)": "IT",
    "Kristian Köhntopp blog (Die wunderbare Welt von Isotopp)": "DE",
    "Alper Çuğun blog (alper.nl)": "NL",
    "Sovereign Cloud Stack blog": "DE",
}


class CorpusError(Exception):
    """The corpus or its labels are missing or inconsistent: exit 2."""


def part_of(item_id: str) -> str:
    """``tune`` or ``test``, fixed by the id alone."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{item_id}".encode()).digest()
    return "tune" if int.from_bytes(digest[:4], "big") / 2**32 < TUNE_SHARE else "test"


def corpus_sha256() -> str:
    """One hash over the built texts and every label file, in a fixed order."""
    digest = hashlib.sha256()
    readings = [READINGS / name for name in READING_FILES if (READINGS / name).exists()]
    for path in [ARTICLES, *sorted(LABELS.glob("*.tsv")), *readings]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _rows(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["id"] in rows:
                raise CorpusError(f"{path.name}: {row['id']} is labelled twice")
            rows[row["id"]] = row
    return rows


def resolve(readings: list[dict[str, str]]) -> tuple[dict[str, str], bool]:
    """The label of one item from its readings, first reading first: the majority on "on topic",
    with topics and countries from the first reading on the majority side. Returns the label and
    whether the readers disagreed. Two readings that disagree need a third."""
    votes = [row["on_topic"] == "1" for row in readings]
    if len(votes) == 2 and votes[0] != votes[1]:
        raise CorpusError(f"{readings[0]['id']}: the first two readings disagree and there is no third reading")
    majority = sum(votes) * 2 > len(votes)
    chosen = next(row for row, vote in zip(readings, votes, strict=True) if vote == majority)
    return chosen, len(set(votes)) > 1


def load(readings: bool = True) -> list[dict]:
    """The corpus with its labels; ``readings=False`` uses the first reading alone."""
    if not ARTICLES.exists():
        raise CorpusError(f"{ARTICLES} is missing: build it with `python eval/real/build.py` (see eval/real/README.md)")
    labels: dict[str, dict[str, str]] = {}
    for path in sorted(LABELS.glob("*.tsv")):
        for item_id, row in _rows(path).items():
            if item_id in labels:
                raise CorpusError(f"{path.name}: {item_id} is labelled twice")
            labels[item_id] = row
    later = [_rows(READINGS / name) for name in READING_FILES if readings and (READINGS / name).exists()]
    for rows in later:
        unknown = set(rows) - set(labels)
        if unknown:
            raise CorpusError(f"a later reading labels {len(unknown)} ids with no first label, e.g. {min(unknown)}")
    items = []
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        first = labels.pop(article["id"], None)
        if first is None:
            raise CorpusError(f"{article['id']} has no label in {LABELS}")
        reads = [first, *(rows[article["id"]] for rows in later if article["id"] in rows)]
        label, disagreed = resolve(reads)
        article["on_topic"] = label["on_topic"] == "1"
        article["topics"] = [t for t in label["topics"].split(",") if t]
        article["countries"] = [c for c in label["countries"].split(",") if c]
        # Where a reader hesitated or the readers disagreed.
        article["borderline"] = disagreed or any(row.get("note", "").startswith("borderline") for row in reads)
        article["readings"] = [row["on_topic"] == "1" for row in reads]
        article["first_borderline"] = first.get("note", "").startswith("borderline")
        article["part"] = part_of(article["id"])
        items.append(article)
    if labels:
        raise CorpusError(f"{len(labels)} labelled ids are not in {ARTICLES.name}, e.g. {next(iter(labels))}")
    return items


def agreement(items: list[dict]) -> dict[str, float]:
    """How far two blind readings of the same texts agree: the second reading scored against the
    first as if it were a matcher, and Cohen's kappa, over the items read twice; then the same
    precision estimated for the whole part, where the first reading's plain negatives were read
    twice only as a random sample (each sampled one stands for its share of them). The ceiling a
    matcher's figures can be read against."""
    pairs = [(item["readings"][0], item["readings"][1]) for item in items if len(item["readings"]) > 1]
    if not pairs:
        return {}
    both = sum(a and b for a, b in pairs)
    first_only = sum(a and not b for a, b in pairs)
    second_only = sum(b and not a for a, b in pairs)
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    p1, p2 = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    plain = [item for item in items if not item["readings"][0] and not item["first_borderline"]]
    sampled = [item for item in plain if len(item["readings"]) > 1]
    weight = len(plain) / len(sampled) if sampled else 0.0
    sampled_on = sum(item["readings"][1] for item in sampled)
    weighted_second_only = second_only - sampled_on + sampled_on * weight
    weighted = both + weighted_second_only
    return {
        "read_twice": n,
        "precision": both / (both + second_only) if both + second_only else 1.0,
        "recall": both / (both + first_only) if both + first_only else 1.0,
        "kappa": (observed - expected) / (1 - expected) if expected < 1 else 1.0,
        "first_only": first_only,
        "second_only": second_only,
        "precision_whole_part": both / weighted if weighted else 1.0,
        "sampled_negatives": len(sampled),
        "read_thrice": sum(len(item["readings"]) > 2 for item in items),
        "flipped_to_on": sum(item["on_topic"] and not item["readings"][0] for item in items),
        "flipped_to_off": sum(item["readings"][0] and not item["on_topic"] for item in items),
    }


def about_countries(result_dict: dict) -> list[str]:
    """The jurisdictions the item is about, under the item contract of the matcher in use."""
    if "mentioned_countries" in result_dict:
        return list(result_dict["countries"])
    return list(result_dict.get("focus", []))


def measure(items: list[dict], matcher: Matcher) -> dict[str, dict]:
    """Figures per part ('tune', 'test', 'all'), with the errors behind them."""
    by_part: dict[str, dict] = {}
    for part in ("tune", "test", "all"):
        chosen = [item for item in items if part == "all" or item["part"] == part]
        flags, topics, countries = Counts(), Counts(), Counts()
        # The same flags over the items whose reader did not call them borderline: how much of the
        # error sits where readers themselves hesitate (reported, not gated).
        clear = Counts()
        per_language: dict[str, Counts] = defaultdict(Counts)
        per_dataset: dict[str, Counts] = defaultdict(Counts)
        per_topic: dict[str, Counts] = defaultdict(Counts)
        positives: dict[str, int] = defaultdict(int)
        for item in chosen:
            result = item["result"]
            flagged = bool(result["topics"])
            expected = {"on_topic"} if item["on_topic"] else set()
            got = {"on_topic"} if flagged else set()
            for counts in (flags, per_language[item["lang"]], per_dataset[item["source_dataset"]]):
                counts.add(item["id"], expected, got)
            if not item["borderline"]:
                clear.add(item["id"], expected, got)
            positives[item["lang"]] += item["on_topic"]
            fired = {t["topic"] for t in result["topics"]}
            topics.add(item["id"], set(item["topics"]), fired)
            for topic in set(item["topics"]) | fired:
                per_topic[topic].add(item["id"], {topic} & set(item["topics"]), {topic} & fired)
            if item["on_topic"] and item["countries"]:
                countries.add(item["id"], set(item["countries"]), set(about_countries(result)))
        by_part[part] = {
            "items": len(chosen),
            "on_topic": sum(item["on_topic"] for item in chosen),
            "flags": flags,
            "clear_flags": clear,
            "borderline": sum(item["borderline"] for item in chosen),
            "agreement": agreement(chosen),
            "topics": topics,
            "countries": countries,
            "per_language": dict(per_language),
            "per_dataset": dict(per_dataset),
            "per_topic": dict(per_topic),
            "positives": dict(positives),
        }
    return by_part


def match_item(matcher: Matcher, item: dict) -> MatchResult:
    """The matcher on one corpus item, with its data set's jurisdiction as the fallback, as the gate
    scores it."""
    jurisdiction = DATASET_JURISDICTION.get(item["source_dataset"])
    return matcher.match(item["title"], item["text"], item["lang"], jurisdiction=jurisdiction)


def other_calibration(items: list[dict], matcher: Matcher) -> tuple[str, dict[str, Counts]] | None:
    """Flags per part under the relevance weights the matcher does not use: the learned ones of
    ``relevance.LEARNED_PATH`` when the hand-set ones are in use (the file inactive), or the
    hand-set ones when the learned ones are active. The issue asks for both on the test part; the
    choice between them is made by cross-validation on the tuning part (eval/fit_relevance.py)."""
    used = matcher.topics.model
    if used is relevance.HAND_MODEL:
        if not relevance.LEARNED_PATH.exists():
            return None
        try:
            other, active = relevance.read_learned(relevance.LEARNED_PATH)
        except (OSError, ValueError) as exc:
            print(f"warning: {relevance.LEARNED_PATH.name} not scored: {exc}", file=sys.stderr)
            return None
        # Active yet unused: the matcher was built with a model of its own.
        other = relevance.Model(other.weights, "learned" if active else "learned (inactive)")
    else:
        other = relevance.HAND_MODEL
    matcher.topics.model = other
    try:
        by_part = flag_counts(items, matcher)
    finally:
        matcher.topics.model = used
    return f"{other.source} weights", by_part


def rules_alone(items: list[dict], matcher: Matcher) -> tuple[str, dict[str, Counts]] | None:
    """Flags per part with the text model switched off (monitor/matching/text_model.py): what its
    rescue of candidates under their threshold adds, reported beside the flags that use it."""
    reader = matcher.topics.reader
    if reader is None:
        return None
    matcher.topics.reader = None
    try:
        by_part = flag_counts(items, matcher)
    finally:
        matcher.topics.reader = reader
    return "rules alone (no text model)", by_part


def flag_counts(items: list[dict], matcher: Matcher) -> dict[str, Counts]:
    """Flags per part ('tune', 'test', 'all') of the matcher as it is set up now."""
    by_part = {part: Counts() for part in ("tune", "test", "all")}
    for item in items:
        flagged = bool(match_item(matcher, item).topics)
        expected = {"on_topic"} if item["on_topic"] else set()
        for part in (item["part"], "all"):
            by_part[part].add(item["id"], expected, {"on_topic"} if flagged else set())
    return by_part


def figures(part: dict) -> dict[str, float]:
    """The pinned figures of one part: overall flags, jurisdictions, and each language's precision
    where it has enough on-topic items."""
    values = {
        "flag_precision": part["flags"].precision,
        "flag_recall": part["flags"].recall,
        "jurisdiction_f1": part["countries"].f1,
    }
    for language, counts in sorted(part["per_language"].items()):
        if part["positives"].get(language, 0) >= MIN_POSITIVES_FOR_LANGUAGE:
            values[f"flag_precision_{language}"] = counts.precision
    return {key: round(value, 4) for key, value in values.items()}


def _row(name: str, counts: Counts, extra: str = "") -> str:
    return (
        f"  {name:44} P {counts.precision:5.3f}  R {counts.recall:5.3f}  F1 {counts.f1:5.3f}"
        f"  (tp {counts.tp}, fp {counts.fp}, fn {counts.fn}){extra}"
    )


def report(
    by_part: dict[str, dict], parts: list[str], others: list[tuple[str, dict[str, Counts]] | None] | None = None
) -> None:
    for name in parts:
        part = by_part[name]
        print(f"{name} part: {part['items']} items, {part['on_topic']} on topic")
        print(_row("flags", part["flags"]))
        for other in others or []:
            if other is not None:
                print(_row(f"flags with the {other[0]}", other[1][name]))
        print(_row(f"flags without the {part['borderline']} borderline or split calls", part["clear_flags"]))
        readers = part["agreement"]
        if readers:
            print(
                f"  {'readers: second reading vs first':44} P {readers['precision']:5.3f}  R {readers['recall']:5.3f}"
                f"  kappa {readers['kappa']:5.3f}  (of {readers['read_twice']} read twice: {readers['first_only']}"
                f" on for the first only, {readers['second_only']} for the second only; {readers['read_thrice']}"
                f" read a third time; label changed {readers['flipped_to_off']} on->off,"
                f" {readers['flipped_to_on']} off->on)"
            )
            print(
                f"  {'readers: the same, over the whole part':44} P {readers['precision_whole_part']:5.3f}"
                f"  (the first reading's plain negatives read twice as a sample of {readers['sampled_negatives']})"
            )
        print(_row("jurisdictions (countries, on-topic items)", part["countries"]))
        for language, counts in sorted(part["per_language"].items()):
            print(_row(f"language {language}", counts, f"  [{part['positives'].get(language, 0)} on topic]"))
        for dataset, counts in sorted(part["per_dataset"].items()):
            print(_row(f"data set {dataset[:35]}", counts))
        for topic, counts in sorted(part["per_topic"].items()):
            print(_row(f"topic {topic}", counts))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("test", "tune", "all"), default=None, help="report one part only")
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument(
        "--errors", action="store_true", help="list every false positive and miss: flags, jurisdictions, topics"
    )
    ap.add_argument(
        "--errors-jurisdictions",
        action="store_true",
        help="list only the jurisdiction errors (with the item's title and what the matcher saw)",
    )
    ap.add_argument(
        "--first-reading",
        action="store_true",
        help="score against the first reading alone, ignoring eval/real/readings (a comparison; the gate uses all)",
    )
    ap.add_argument("--json", action="store_true", help="print the pinned figures as JSON")
    ap.add_argument("--pin", action="store_true", help="rewrite eval/real/floors.json from this run")
    args = ap.parse_args(argv)
    if args.first_reading and args.pin:
        print("error: --pin pins the gate's labels, not the first reading's", file=sys.stderr)
        return 2
    try:
        items = load(readings=not args.first_reading)
        sha = corpus_sha256()
        gated = not (args.pin or args.first_reading)
        floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() and gated else None
    except (OSError, ValueError, KeyError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if floors is not None and floors.get("corpus_sha256") != sha:
        print(
            f"error: the corpus is not the one the floors were measured on (sha256 {sha[:12]}, floors for "
            f"{str(floors.get('corpus_sha256'))[:12]}): rebuild it with eval/real/build.py, or re-measure and --pin",
            file=sys.stderr,
        )
        return 2
    matcher = Matcher.build(args.watchlists)
    for item in items:
        item["result"] = match_item(matcher, item).to_dict()
    by_part = measure(items, matcher)
    measured = {part: figures(by_part[part]) for part in ("tune", "test")}
    if args.json:
        print(json.dumps(measured, indent=2))
    else:
        others = [other_calibration(items, matcher), rules_alone(items, matcher)]
        report(by_part, [args.part] if args.part else ["tune", "test"], others)
    if args.errors:
        for part in [args.part] if args.part else ["tune"]:
            for line in by_part[part]["flags"].errors + by_part[part]["countries"].errors:
                print(f"{part}: {line}")
            for line in by_part[part]["topics"].errors:
                print(f"{part}: topic {line}")
    if args.errors_jurisdictions:
        by_id = {item["id"]: item for item in items}
        for part in [args.part] if args.part else ["tune"]:
            wrong = sorted({line.split(": ", 1)[0] for line in by_part[part]["countries"].errors})
            for item_id in wrong:
                item = by_id[item_id]
                got = about_countries(item["result"])
                seen = item["result"].get("mentioned_countries", [])
                print(
                    f"{part}: {item_id} [{item['lang']}] labelled {','.join(item['countries'])} got {','.join(got)}"
                    f" mentioned {','.join(seen)} | {item['title'][:100]}"
                )
    if args.first_reading:
        return 0
    if args.pin:
        pinned = {key: round(max(0.0, value - FLOOR_MARGIN), 4) for key, value in measured["test"].items()}
        FLOORS.write_text(json.dumps({"corpus_sha256": sha, "test": pinned}, indent=2) + "\n", encoding="utf-8")
        print(f"pinned {len(pinned)} floors in {FLOORS.relative_to(ROOT)}")
        return 0
    if floors is None:
        print(f"error: no floors in {FLOORS}: measure, then pin with --pin", file=sys.stderr)
        return 2
    failed = [key for key, floor in floors["test"].items() if measured["test"].get(key, 0.0) < floor]
    for key in failed:
        print(
            f"FAIL: test part {key} {measured['test'].get(key, 0.0):.4f} < floor {floors['test'][key]}", file=sys.stderr
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
