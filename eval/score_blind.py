"""The blind batteries: texts written by writers who never saw the rules, scored like real text.

Usage::

    python eval/score_blind.py [FILE ...] [--watchlists W] [--errors]

Each file under ``eval/blind/`` holds one battery (``eval/blind/README.md`` says who wrote it,
under which brief and what it measured before any rule was written for it). An item is on topic
when its writer labelled it so, under the same convention as the real corpus's readers
(``eval/real/readings/README.md``); ``countries`` are the jurisdictions it is about. Figures per
battery and language: flag precision and recall, topic pairs, and the micro-F1 of ``countries``
over the on-topic items. This is a report, not a gate: the batteries are our own writing, and
their use is to find classes of failure in languages where the real corpus holds few positives.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from score import Counts  # noqa: E402

from monitor.matching import Matcher  # noqa: E402

BLIND = ROOT / "eval" / "blind"


def load(paths: list[Path]) -> list[dict]:
    """The items of the given battery files, each tagged with its battery's name."""
    items = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{number}: not JSON ({exc.msg})") from exc
            missing = {"id", "lang", "title", "text", "on_topic", "topics", "countries"} - set(item)
            if missing:
                raise ValueError(f"{path.name}:{number}: missing {sorted(missing)}")
            item["battery"] = path.stem
            items.append(item)
    return items


def measure(items: list[dict], matcher: Matcher, errors: bool = False) -> dict[str, dict[str, Counts]]:
    """Counts per battery and language (and 'all'), for flags, topics and countries."""
    table: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for item in items:
        result = matcher.match(item["title"], item["text"], item["lang"])
        fired = {hit.topic for hit in result.topics}
        on = {"on_topic"} if item["on_topic"] else set()
        got = {"on_topic"} if fired else set()
        for key in ("all", item["battery"], f"{item['battery']} {item['lang']}"):
            table[key]["flags"].add(item["id"], on, got)
            if item["on_topic"]:
                table[key]["topics"].add(item["id"], set(item["topics"]), fired)
                if fired and item["countries"]:
                    table[key]["countries"].add(item["id"], set(item["countries"]), set(result.about))
        if errors and (bool(on) != bool(got) or (on and fired and set(item["countries"]) != set(result.about))):
            kind = "miss" if on and not got else "false flag" if got and not on else "countries"
            print(f"{kind}: {item['id']} {item['title'][:90]!r}")
            print(f"   label {sorted(item['topics'])} {item['countries']}  got {sorted(fired)} {list(result.about)}")
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="battery files (default: eval/blind/*.jsonl)")
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument("--errors", action="store_true", help="list every miss, false flag and country error")
    args = ap.parse_args(argv)
    paths = args.files or sorted(BLIND.glob("*.jsonl"))
    if not paths:
        print(f"no batteries under {BLIND}", file=sys.stderr)
        return 2
    try:
        items = load(paths)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table = measure(items, Matcher.build(args.watchlists), args.errors)
    print(f"blind batteries: {len(items)} texts, {sum(bool(i['on_topic']) for i in items)} on topic")
    for key in ["all", *sorted(k for k in table if k != "all")]:
        row = table[key]
        flags, countries = row["flags"], row["countries"]
        print(
            f"  {key:18} flags P {flags.precision:5.3f} R {flags.recall:5.3f} (tp {flags.tp}, fp {flags.fp},"
            f" fn {flags.fn})  topics F1 {row['topics'].f1:5.3f}  countries F1 {countries.f1:5.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
