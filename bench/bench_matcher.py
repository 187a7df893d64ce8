"""Matcher throughput on real article text, next to a flat regex alternation of the same terms.

    python bench/bench_matcher.py [--corpus DIR] [--watchlists FILE] [--rounds N] [--json FILE]

Text comes from the article pages under /work/shared/corpus/aeb/html/*.html.gz (trafilatura when
installed, else lxml tag stripping); nothing is cached in the repository. Prints a table and the
figures ``matcher_mb_per_s`` (full Matcher.match: topics + jurisdictions, MB of UTF-8 article text
per second) and ``matcher_vs_regex`` (speed-up over one compiled case-insensitive alternation of
every topic term and gazetteer surface, run over the same texts). ``--json FILE`` merges the
figures into FILE (bench/results.json).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.matching import Matcher  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus/aeb/html")


def extract(html: bytes) -> str:
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    if trafilatura is not None:
        text = trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False)
        if text:
            return text
    import lxml.html

    return lxml.html.fromstring(html).text_content()


def load_texts(corpus: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.glob("*.html.gz")):
        text = extract(gzip.decompress(path.read_bytes()))
        if text and text.strip():
            texts.append(text)
    return texts


def flat_regex(matcher: Matcher) -> re.Pattern[str]:
    """The naive alternative: every term as a literal, longest first, word-bounded."""
    terms = {t.text for t in (term for term, _ in matcher.topics.index_items())}
    terms |= {t.text for t, _ in matcher.countries.index_items()}
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})", re.IGNORECASE)


def timed(fn, texts: list[str], rounds: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over ``rounds`` passes (CPU time is the fairer figure
    on a shared machine: other processes inflate wall time, not our CPU time)."""
    best_wall = best_cpu = float("inf")
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            fn(text)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    texts = load_texts(args.corpus)
    extract_s = time.perf_counter() - t0
    if not texts:
        print(f"no article text found under {args.corpus}", file=sys.stderr)
        return 2
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    t0 = time.perf_counter()
    matcher = Matcher.build(args.watchlists)
    build_s = time.perf_counter() - t0
    matcher.match("warm-up", texts[0])

    pattern = flat_regex(matcher)
    matcher_s, matcher_cpu = timed(lambda t: matcher.match("", t), texts, args.rounds)
    regex_s, regex_cpu = timed(lambda t: pattern.findall(t), texts, 1)

    flagged = sum(matcher.match("", t).flagged for t in texts)
    figures = {
        "matcher_mb_per_s": round(mb / matcher_s, 2),
        "matcher_cpu_mb_per_s": round(mb / matcher_cpu, 2),
        "matcher_vs_regex": round(regex_s / matcher_s, 1),
        "matcher_regex_mb_per_s": round(mb / regex_s, 3),
        "matcher_build_s": round(build_s, 3),
        "matcher_corpus_docs": len(texts),
        "matcher_corpus_mb": round(mb, 3),
    }
    print(f"{len(texts)} articles, {mb:.2f} MB of text (extracted in {extract_s:.1f} s); {flagged} flagged")
    print(f"{'method':<30} {'wall s':>8} {'MB/s':>8} {'CPU s':>8} {'MB/s':>8}")
    for name, wall, cpu in (
        ("Matcher.match (Aho-Corasick)", matcher_s, matcher_cpu),
        ("flat regex alternation", regex_s, regex_cpu),
    ):
        print(f"{name:<30} {wall:8.3f} {mb / wall:8.2f} {cpu:8.3f} {mb / cpu:8.2f}")
    print(f"automaton + gazetteer build: {build_s:.2f} s")
    for key, value in figures.items():
        print(f"{key} = {value}")
    if args.json:
        data = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
        data.update(figures)
        args.json.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
