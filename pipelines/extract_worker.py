"""What an extraction worker process runs: a module that imports no Scrapy, Twisted or matcher.

It decides what a worker carries in memory (whether its forkserver preloaded it, for several
workers, or the one worker imports it itself): trafilatura, lxml, py3langid, numpy for the
signature (no datasketch, which would bring scipy: ``monitor.dedupe.similarity`` computes
datasketch's values itself), and pypdf only once a PDF has come.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from functools import cache
from typing import Any

from monitor.dedupe.similarity import fingerprint
from monitor.extraction import Extracted, extract_document

# trafilatura, htmldate, courlan and jusText memoise in LRU caches (text lines, dates, URLs,
# stoplists) that only grow over a crawl: about 30 MB a worker by a few hundred pages (measured,
# docs/scaling.md). They are memoisation only, so clearing them changes no result; every this
# many documents a worker clears them and gives the freed heap back to the system.
CACHE_RESET_EVERY = 500
# Past this many bytes a page's parse trees (lxml's, trafilatura's copies, readability's) take tens
# of MB of C heap that glibc keeps once they are freed, beside smaller pages' heap. Returning it
# after such a page costs well under a millisecond; on the AEB pages (median 115 KB, about one in
# six over this) it lowered a worker's peak by about 7 MB.
TRIM_AFTER_BYTES = 300_000
_documents = 0


def extract_and_sign(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Extracted, bytes | None]:
    """``extract_document`` plus the text's MinHash signature.

    The signature costs about a fifth of an extraction; made here, once, it spares the reactor
    thread the two it used to make (near-duplicate check, then store).
    """
    global _documents
    result = extract_document(*args, **kwargs)
    signature = fingerprint(result.text) if result.text else None
    _documents += 1
    if _documents % CACHE_RESET_EVERY == 0:
        reset_caches()
    elif len(args[0]) > TRIM_AFTER_BYTES:
        trim_heap()
    return result, signature


def reset_caches() -> None:
    """Clear the extraction libraries' caches and return free heap pages to the system (glibc)."""
    from trafilatura.meta import reset_caches as reset_trafilatura  # also htmldate's, courlan's, jusText's

    reset_trafilatura()
    gc.collect()
    trim_heap()


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: the pages stay with the process, reused later
        return None


def trim_heap() -> None:
    """Give free heap pages back to the system (glibc's malloc_trim)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def warm() -> None:
    """Load the language model before the first page arrives, not while it waits; and leave
    Ctrl-C to the parent. A terminal sends SIGINT to the whole process group: a worker that died
    of it would leave the item it was extracting unanswered, and the graceful stop waits for it."""
    import signal

    from monitor.extraction.language import detect_language

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Instant when the forkserver preloaded the model (monitor.extraction.language_model).
    detect_language("warm up the language identifier with a sentence of plain English text")
