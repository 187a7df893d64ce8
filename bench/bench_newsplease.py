"""news-please against our whole path, per article, on the same 181 pages in the same run.

    python bench/bench_newsplease.py [--rounds N] [--json FILE]

news-please (``NewsPlease.from_html(html, fetch_images=False)``) is installed into its own virtual
environment, bench/.venv-newsplease, on first use: it pins dependencies (newspaper4k, an older
lxml) that must not leak into the project's. Both sides are timed in CPU seconds, best of
``--rounds``; ``newsplease_speedup`` = news-please's time per article / ours.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_pipeline import our_path, page_urls
from common import BENCH, CORPUS, corpus_pages, report

from monitor.storage import dispose_all

VENV = BENCH / ".venv-newsplease"
# The release measured; pinned so that a figure means the same thing from one run to the next.
NEWSPLEASE = "news-please==1.6.16"


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} with {NEWSPLEASE} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", NEWSPLEASE], check=True)
    return python


def newsplease_seconds(python: Path, rounds: int) -> dict[str, float]:
    completed = subprocess.run(
        [str(python), str(BENCH / "newsplease_worker.py"), str(CORPUS), str(rounds)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def ours_seconds(rounds: int) -> float:
    pages = corpus_pages()
    urls = page_urls(CORPUS)
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="bench-newsplease-") as tmp:
        prepare = our_path(pages, urls, Path(tmp))
        for _ in range(rounds):
            best = min(best, prepare()().ours_cpu)
            dispose_all()
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)
    python = ensure_venv()
    n = len(corpus_pages())
    # Ours before and after news-please, so a change of load during its long run shows in neither.
    ours = ours_seconds(args.rounds + 1)
    theirs = newsplease_seconds(python, args.rounds)
    ours = min(ours, ours_seconds(args.rounds))
    figures = {
        "newsplease_speedup": round(theirs["seconds"] / ours, 2),
        "newsplease_ms_per_page": round(theirs["seconds"] / theirs["pages"] * 1000, 1),
        "newsplease_failed_pages": theirs["failed"],
        "ours_ms_per_page_vs_newsplease": round(ours / n * 1000, 2),
    }
    print(
        f"news-please: {figures['newsplease_ms_per_page']} ms/page CPU ({theirs['failed']} pages raised); "
        f"ours: {figures['ours_ms_per_page_vs_newsplease']} ms/page"
    )
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
