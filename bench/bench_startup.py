"""``monitor match --jsonl`` start-up: the wall time of the whole command on a one-line input.

    python bench/bench_startup.py [--config DIR] [--runs N] [--json FILE]

An analyst's script that pipes one text at a time into ``monitor match --jsonl`` pays the start-up
(imports, config and watchlist load, automaton build) on every call; the issue's target is at most
0.5 s. Each run is a fresh process on a one-line input; the figure is the median of ``--runs``
(default 5). ``python -c pass``, timed the same way in the same run, is the baseline that says how
much of it the interpreter alone costs on this (shared) machine. Figures: ``match_startup_s``,
``python_startup_s`` and ``match_startup_net_s`` (the difference), merged into FILE
(bench/results.json) through ``common.report``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, WORK, report

LINE = {"id": "1", "title": "Data localisation rules", "text": "The ministry requires local storage of personal data."}


def wall_times(command: list[str], stdin: Path, runs: int) -> list[float]:
    """Wall seconds of ``runs`` fresh processes of ``command``; each must exit 0."""
    times = []
    for _ in range(runs):
        with stdin.open("rb") as source:
            t0 = time.perf_counter()
            done = subprocess.run(command, stdin=source, capture_output=True, cwd=ROOT, check=False)
            times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return times


def monitor_command() -> list[str]:
    """The installed console script next to this interpreter, as a user runs it; else ``-m monitor``."""
    script = Path(sys.executable).with_name("monitor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "monitor"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, default=ROOT / "config")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    one_line = WORK / "startup_input.jsonl"
    one_line.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    match = [*monitor_command(), "--config", str(args.config), "match", "--jsonl"]
    wall_times(match, one_line, 1)  # a first run compiles changed modules to .pyc: not start-up
    python = wall_times([sys.executable, "-c", "pass"], one_line, args.runs)
    matched = wall_times(match, one_line, args.runs)
    median, baseline = statistics.median(matched), statistics.median(python)
    print(f"monitor match --jsonl, one line: {' '.join(f'{t:.3f}' for t in matched)} s")
    print(f"python -c pass:                  {' '.join(f'{t:.3f}' for t in python)} s")
    return report(
        {
            "match_startup_s": round(median, 3),
            "python_startup_s": round(baseline, 3),
            "match_startup_net_s": round(median - baseline, 3),
            "match_startup_runs": [round(t, 3) for t in matched],
        },
        args.json,
    )


if __name__ == "__main__":
    sys.exit(main())
