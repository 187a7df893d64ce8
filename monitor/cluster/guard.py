"""``python -m monitor.cluster.guard CMD...``: run a crawl so that nothing of it outlives the task.

A crawl is a process tree (the Scrapy process, its feed worker, the extraction forkserver, its
workers, multiprocessing's resource tracker), all in one process group. SIGKILL of the Scrapy
process alone leaves the rest behind, each holding memory; a parent-death signal set on the
Scrapy process reaches it alone. So the task starts this guard (standard library only) as the
group's leader, with SIGTERM as its parent-death signal:

* the task's process dies (its pool process or the whole worker killed): the guard gets SIGTERM
  with a new parent, and SIGKILLs every other member of the group, then exits;
* the crawl ends, however it ends (a SIGKILL aimed at it included): the guard SIGKILLs what is
  left of the group and exits with the crawl's code (128 + N for signal N);
* the task stops the crawl on timeout (SIGTERM to the group, later SIGKILL): a SIGTERM while
  the parent lives is the crawl's to handle, and the guard waits for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from types import FrameType


def _members(group: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                if os.getpgid(int(name)) == group:
                    found.append(int(name))
            except OSError:
                continue  # gone already
    return found


def kill_the_rest(group: int) -> None:
    """SIGKILL every process of ``group`` but this one (twice: one may fork while it is read)."""
    for _round in range(2):
        for pid in _members(group):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue


def _die_with_guard() -> None:
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write("usage: python -m monitor.cluster.guard CMD [ARGS...]\n")
        return 2
    parent = os.getppid()
    group = os.getpgid(0)

    def on_term(signum: int, _frame: FrameType | None) -> None:
        if os.getppid() != parent:  # the task died: the parent-death signal
            kill_the_rest(group)
            os._exit(128 + signum)
        # Otherwise the task's timeout: the whole group got SIGTERM, the crawl stops itself.

    signal.signal(signal.SIGTERM, on_term)
    # argv is the task's own command line: this interpreter, `-m monitor run --job N`; no shell.
    # The crawl dies with the guard too, should the guard itself be killed.
    crawl = subprocess.Popen(argv, preexec_fn=_die_with_guard)  # noqa: S603, PLW1509
    while True:
        try:
            code = crawl.wait()
            break
        except InterruptedError:  # pragma: no cover - Python retries wait() itself
            continue
    kill_the_rest(group)
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
