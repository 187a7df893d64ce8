"""The cyclic garbage collector paused while start-up builds long-lived objects.

A ``monitor match`` start-up creates some 150,000 objects that live as long as the process (the
parsed watchlist, the gazetteer, the automaton's per-key metadata, the validated config). Each
700 new objects trigger a young collection and every tenth of those an older one, so the
collector runs hundreds of times over objects it can never free: on 2026-12-07 a fifth to a
third of the start-up. Nothing built there is garbage, and reference counting still frees what
is dropped, so the collector is paused for the build and resumed after (CPython's own advice for
such phases; see ``gc.disable`` and ``gc.freeze``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; nested blocks resume only at the outermost one."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
