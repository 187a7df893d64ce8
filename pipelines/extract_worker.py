"""What an extraction worker process runs: a module that imports no Scrapy, Twisted or matcher.

The pool's workers are forked from a forkserver that preloaded this module, so it decides what a
worker carries in memory: trafilatura, lxml, py3langid, and datasketch for the signature.
"""

from __future__ import annotations

from typing import Any

from monitor.dedupe.similarity import fingerprint
from monitor.extraction import Extracted, extract_document


def extract_and_sign(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Extracted, bytes | None]:
    """``extract_document`` plus the text's MinHash signature.

    The signature costs about a fifth of an extraction; made here, once, it spares the reactor
    thread the two it used to make (near-duplicate check, then store).
    """
    result = extract_document(*args, **kwargs)
    return result, fingerprint(result.text) if result.text else None


def warm() -> None:
    """Load the language model before the first page arrives, not while it waits; and leave
    Ctrl-C to the parent. A terminal sends SIGINT to the whole process group: a worker that died
    of it would leave the item it was extracting unanswered, and the graceful stop waits for it."""
    import signal

    from monitor.extraction.language import detect_language

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    detect_language("warm up the language identifier with a sentence of plain English text")
