"""The cyclic garbage collector paused while start-up builds long-lived objects.

A ``monitor match`` start-up creates some 150,000 objects that live as long as the process (the
parsed watchlist, the gazetteer, the automaton's per-key metadata, the validated config). Each
700 new objects trigger a young collection and every tenth of those an older one, so the
collector runs hundreds of times over objects it can never free: on 2026-12-07 about a fifth of
the start-up (the whole command with the collector off against on, same minutes). Nothing built
there is garbage, and reference counting still frees what is dropped, so the collector is paused
for the build and resumed after, as the ``gc`` module's documentation suggests for a parent
process that builds long-lived state before it forks (``gc.disable``, ``gc.freeze``).
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
