"""Where things are: computed once here, instead of ``Path(__file__).parents[N]`` in each test."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO_ROOT / "config"  # the shipped configuration
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"  # saved pages and feeds
