"""Matcher throughput on real article text, next to a flat regex alternation of the same terms.

    python bench/bench_matcher.py [--corpus DIR] [--real FILE] [--watchlists FILE] [--rounds N] [--json FILE]

Text comes from the article pages under /work/shared/corpus/aeb/html/*.html.gz (trafilatura when
installed, else lxml tag stripping); nothing is cached in the repository. Prints a table and the
figures ``matcher_mb_per_s`` (full Matcher.match: topics + jurisdictions, MB of UTF-8 article text
per second) and ``matcher_vs_regex`` (speed-up over one compiled case-insensitive alternation of
every topic term and gazetteer surface, run over the same texts).

``matcher_real_mb_per_s`` is the same full match over the real-text evaluation corpus
(eval/real/articles.jsonl, 8,000+ published articles in several languages, built by
eval/real/build.py; skipped with a message when it has not been built), in this process, pinned
to one core: the issue's target is at least 20 MB/s. ``--json FILE`` merges the figures into FILE
(bench/results.json) through ``common.report``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import report  # noqa: E402

from monitor.matching import Matcher  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus/aeb/html")
REAL_CORPUS = ROOT / "eval" / "real" / "articles.jsonl"


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


def load_real(path: Path) -> list[tuple[str, str, str | None]]:
    """(title, text, language) of every article of the real-text corpus."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                articles.append((record.get("title") or "", record.get("text") or "", record.get("lang")))
    return articles


def one_core() -> str:
    """Pin this process to one core (the target is per core); says which, or why not."""
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
    except (AttributeError, OSError) as exc:
        return f"not pinned ({exc.__class__.__name__})"
    return f"pinned to core {core}"


def real_figures(matcher: Matcher, path: Path, rounds: int) -> dict[str, object]:
    """Full matches per second over the real corpus: MB of UTF-8 title and text, best of ``rounds``."""
    if not path.exists():
        print(f"real corpus {path} not found: matcher_real_mb_per_s skipped (build it: python eval/real/build.py)")
        return {}
    articles = load_real(path)
    mb = sum(len(title.encode("utf-8")) + len(text.encode("utf-8")) for title, text, _ in articles) / 1e6
    best_wall = best_cpu = float("inf")
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        for title, text, language in articles:
            matcher.match(title, text, language)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    flagged = sum(matcher.match(title, text, language).flagged for title, text, language in articles)
    print(f"real corpus: {len(articles)} articles, {mb:.2f} MB, {flagged} flagged, best of {rounds}: {best_wall:.2f} s")
    return {
        "matcher_real_mb_per_s": round(mb / best_wall, 2),
        "matcher_real_cpu_mb_per_s": round(mb / best_cpu, 2),
        "matcher_real_docs": len(articles),
        "matcher_real_mb": round(mb, 2),
    }


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


def aeb_figures(matcher: Matcher, texts: list[str], rounds: int) -> dict[str, object]:
    """The matcher against one flat regex alternation, over the text of the AEB article pages."""
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    pattern = flat_regex(matcher)
    matcher_s, matcher_cpu = timed(lambda t: matcher.match("", t), texts, rounds)
    regex_s, regex_cpu = timed(lambda t: pattern.findall(t), texts, 1)
    flagged = sum(matcher.match("", t).flagged for t in texts)
    print(f"{len(texts)} articles, {mb:.2f} MB of text; {flagged} flagged")
    print(f"{'method':<30} {'wall s':>8} {'MB/s':>8} {'CPU s':>8} {'MB/s':>8}")
    for name, wall, cpu in (
        ("Matcher.match (Aho-Corasick)", matcher_s, matcher_cpu),
        ("flat regex alternation", regex_s, regex_cpu),
    ):
        print(f"{name:<30} {wall:8.3f} {mb / wall:8.2f} {cpu:8.3f} {mb / cpu:8.2f}")
    return {
        "matcher_mb_per_s": round(mb / matcher_s, 2),
        "matcher_cpu_mb_per_s": round(mb / matcher_cpu, 2),
        "matcher_vs_regex": round(regex_s / matcher_s, 1),
        "matcher_regex_mb_per_s": round(mb / regex_s, 3),
        "matcher_corpus_docs": len(texts),
        "matcher_corpus_mb": round(mb, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--real", type=Path, default=REAL_CORPUS, help="the real-text corpus (JSON lines)")
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)
    print(f"one core: {one_core()}")

    t0 = time.perf_counter()
    matcher = Matcher.build(args.watchlists)
    build_s = time.perf_counter() - t0
    matcher.match("warm-up", "warm-up")
    figures: dict[str, object] = {"matcher_build_s": round(build_s, 3)}
    print(f"automaton + gazetteer build: {build_s:.2f} s")
    texts = load_texts(args.corpus) if args.corpus.is_dir() else []
    if texts:
        figures.update(aeb_figures(matcher, texts, args.rounds))
    else:
        print(f"no article pages under {args.corpus}: matcher_mb_per_s and matcher_vs_regex skipped")
    figures.update(real_figures(matcher, args.real, min(args.rounds, 3)))
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
