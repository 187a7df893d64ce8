"""Per-article cost of our whole cleaning and matching path, against bare trafilatura.

    python bench/bench_pipeline.py [--rounds N] [--profile] [--json FILE]

Over the 181 AEB pages, in one process, one core: (a) ``trafilatura.extract(html,
include_comments=False)`` on each page's bytes; (b) what the pipeline stages do to each page:
normalize URL, extract (trafilatura + date + language, the stage's synchronous path), near-duplicate
check, topic and country matching, upsert into a fresh SQLite file. Page by page, (a) then (b), so
that a burst of load from the neighbours hits both sides alike; CPU time (the cost on one core;
wall time also counts the time others held our core, and is reported too). Each round gives a
ratio (b) / (a); the median of ``--rounds`` is ``pipeline_vs_trafilatura``.
``--profile`` prints where (b) spends its time (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import CORPUS, ROOT, corpus_pages, report

from monitor.storage import dispose_all, repository_for
from spiders.items import DocumentItem

# Where our path's time goes, summed over the rounds (filled by ``our_path``'s runs).
STAGES = ("normalize+extract+date+language", "near-duplicate", "match", "store")
stage_seconds: dict[str, float] = {}


def page_urls(corpus: Path) -> dict[str, str]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    return {name: entry.get("url") or f"https://aeb.example/{name}" for name, entry in truth.items()}


def bare_trafilatura(pages: list[tuple[str, bytes]]) -> Callable[[], None]:
    import trafilatura

    def run() -> None:
        for _name, html in pages:
            trafilatura.extract(html, include_comments=False)

    return run


@dataclass
class Timing:
    ours_cpu: float = 0.0
    ours_wall: float = 0.0
    bare_cpu: float = 0.0
    bare_wall: float = 0.0


def our_path(
    pages: list[tuple[str, bytes]], urls: dict[str, str], workdir: Path
) -> Callable[[], Callable[..., Timing]]:
    """A fresh crawler, database and set of stages per call, so every round inserts every page."""
    import trafilatura
    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from monitor.settings_defaults import DEFAULTS
    from pipelines.extract import ExtractStage
    from pipelines.match import MatchStage
    from pipelines.near_duplicate import NearDuplicateStage
    from pipelines.normalize import NormalizeUrlStage
    from pipelines.store import StoreStage

    counter = iter(range(1_000_000))
    stage_seconds.update(dict.fromkeys(STAGES, 0.0))

    def prepare() -> Callable[..., Timing]:
        db_url = f"sqlite:///{workdir}/pipeline-{next(counter)}.db"
        crawler = get_crawler(
            settings_dict={
                **DEFAULTS,
                "MONITOR_DB_URL": db_url,
                "MONITOR_WATCHLISTS": str(ROOT / "config" / "watchlists.yaml"),
            }
        )
        crawler.stats.open_spider()
        repository_for(db_url).ensure_source("adhoc", "Ad-hoc crawls", "other", None, None)
        normalize = NormalizeUrlStage()
        extract = build_from_crawler(ExtractStage, crawler)
        near = build_from_crawler(NearDuplicateStage, crawler)
        near.load()
        match = build_from_crawler(MatchStage, crawler)
        store = build_from_crawler(StoreStage, crawler)
        # Warm-up outside the timing: the matcher's automaton and the language model load once
        # per process in a crawl too.
        match.build().match("warm-up", "warm-up text")
        from monitor.extraction.language import detect_language

        detect_language("a sentence of plain English text to load the model")

        def run(with_bare: bool = False) -> Timing:
            """Every page through our path; with ``with_bare``, bare trafilatura on the same page
            just before, so that a burst of load from neighbours hits both sides alike."""
            timing = Timing()
            for name, html in pages:
                if with_bare:
                    c0, w0 = time.process_time(), time.perf_counter()
                    trafilatura.extract(html, include_comments=False)
                    timing.bare_cpu += time.process_time() - c0
                    timing.bare_wall += time.perf_counter() - w0
                c0, w0 = time.process_time(), time.perf_counter()
                item = DocumentItem(
                    url=urls.get(name, f"https://aeb.example/{name}"),
                    source_id="adhoc",
                    body=html,
                    headers={"content-type": "text/html"},
                )
                try:
                    item = extract.extract_now(normalize.process_item(item))
                except DropItem:
                    continue
                c1 = time.process_time()
                item = near.process_item(item)
                c2 = time.process_time()
                item = match.process_item(item)
                c3 = time.process_time()
                store.process_item(item)
                c4, w4 = time.process_time(), time.perf_counter()
                timing.ours_cpu += c4 - c0
                timing.ours_wall += w4 - w0
                for stage, seconds in zip(STAGES, (c1 - c0, c2 - c1, c3 - c2, c4 - c3), strict=True):
                    stage_seconds[stage] += seconds
            return timing

        return run

    return prepare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)

    pages = corpus_pages()
    urls = page_urls(CORPUS)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        from monitor.storage.database import open_database  # noqa: F401  (import cost outside timing)

        prepare = our_path(pages, urls, Path(tmp))
        bare_trafilatura(pages)()  # warm-up: trafilatura's and lxml's lazy imports and caches
        rounds: list[Timing] = []
        for _ in range(args.rounds):
            rounds.append(prepare()(with_bare=True))
            dispose_all()
        if args.profile:
            run = prepare()
            profiler = cProfile.Profile()
            profiler.runcall(run)
            dispose_all()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(35)
    n = len(pages)
    # Each round pairs the two sides page by page; the median round's ratio is the figure.
    cpu_ratios = sorted(r.ours_cpu / r.bare_cpu for r in rounds)
    wall_ratios = sorted(r.ours_wall / r.bare_wall for r in rounds)
    middle = len(rounds) // 2
    bare_s = statistics.median(r.bare_cpu for r in rounds)
    ours_s = statistics.median(r.ours_cpu for r in rounds)
    figures = {
        "pipeline_vs_trafilatura": round(cpu_ratios[middle], 3),
        "pipeline_vs_trafilatura_wall": round(wall_ratios[middle], 3),
        "pipeline_vs_trafilatura_rounds": [round(r, 3) for r in cpu_ratios],
        "trafilatura_ms_per_page": round(bare_s / n * 1000, 2),
        "pipeline_ms_per_page": round(ours_s / n * 1000, 2),
        "trafilatura_pages_per_s_1core": round(n / bare_s, 1),
        "pipeline_pages": n,
    }
    print(f"{n} pages, {args.rounds} rounds, each page through bare trafilatura then our path, CPU time")
    print(f"  bare trafilatura.extract : {bare_s / n * 1000:7.2f} ms/page (median round)")
    print(f"  our whole path           : {ours_s / n * 1000:7.2f} ms/page (median round)")
    print("  ratio per round          : " + ", ".join(f"{r:.3f}" for r in cpu_ratios))
    total = sum(stage_seconds.values())
    for stage, seconds in stage_seconds.items():
        print(f"    {stage:<32} {seconds / total:6.1%} of our path")
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
