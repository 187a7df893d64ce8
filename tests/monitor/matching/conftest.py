from __future__ import annotations

from pathlib import Path

import pytest

from monitor.matching import Matcher

ROOT = Path(__file__).resolve().parents[3]
WATCHLISTS = ROOT / "config" / "watchlists.yaml"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher.from_file(WATCHLISTS)


@pytest.fixture(scope="session")
def watchlists_path() -> Path:
    return WATCHLISTS


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
