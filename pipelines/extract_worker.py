"""What an extraction worker process runs: a module that imports no Scrapy, Twisted or matcher.

The pool's workers are forked from a forkserver that preloaded this module, so it decides what a
worker carries in memory: trafilatura, lxml, py3langid, and numpy for the signature (no datasketch,
which would bring scipy: ``monitor.dedupe.similarity`` computes datasketch's values itself).
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any

from monitor.dedupe.similarity import fingerprint
from monitor.extraction import Extracted, extract_document

# trafilatura, htmldate, courlan and jusText memoise in LRU caches (text lines, dates, URLs,
# stoplists) that only grow over a crawl: about 30 MB a worker by a few hundred pages (measured,
# docs/scaling.md). They are memoisation only, so clearing them changes no result; every this
# many documents a worker clears them and gives the freed heap back to the system.
CACHE_RESET_EVERY = 500
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
    return result, signature


def reset_caches() -> None:
    """Clear the extraction libraries' caches and return free heap pages to the system (glibc)."""
    from trafilatura.meta import reset_caches as reset_trafilatura  # also htmldate's, courlan's, jusText's

    reset_trafilatura()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the pages stay with the process, reused later
        pass


def warm() -> None:
    """Load the language model before the first page arrives, not while it waits; and leave
    Ctrl-C to the parent. A terminal sends SIGINT to the whole process group: a worker that died
    of it would leave the item it was extracting unanswered, and the graceful stop waits for it."""
    import signal

    from monitor.extraction.language import detect_language

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Instant when the forkserver preloaded the model (monitor.extraction.language_model).
    detect_language("warm up the language identifier with a sentence of plain English text")
