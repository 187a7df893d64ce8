"""Runs inside bench/.venv-newsplease (not the project's venv): times news-please on the corpus.

    bench/.venv-newsplease/bin/python bench/newsplease_worker.py CORPUS_DIR ROUNDS

Prints one JSON line: the best CPU seconds of ``ROUNDS`` passes over the pages, the page count,
how many pages gave text and how many raised (news-please's Korean tokenizer wants nltk, which is
not installed: those pages stop early, which only flatters news-please's time).
Kept free of project imports: news-please pins its own dependencies.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
import time
import warnings
from pathlib import Path


def main() -> int:
    corpus, rounds = Path(sys.argv[1]), int(sys.argv[2])
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    from newsplease import NewsPlease

    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((corpus / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append((truth.get(name, {}).get("url"), html))
    NewsPlease.from_html(pages[0][1], url=pages[0][0], fetch_images=False)  # warm-up: lazy imports
    best, with_text, failed = float("inf"), 0, 0
    for _ in range(rounds):
        t0 = time.process_time()
        with_text = failed = 0
        for url, html in pages:
            try:
                article = NewsPlease.from_html(html, url=url, fetch_images=False)
            except Exception:  # noqa: BLE001 - any failure of the competitor counts, and is counted
                failed += 1
                continue
            with_text += bool(getattr(article, "maintext", None))
        best = min(best, time.process_time() - t0)
    print(json.dumps({"seconds": best, "pages": len(pages), "with_text": with_text, "failed": failed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
