from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from monitor.matching import Matcher
from tests.helpers import REPO_ROOT

WATCHLISTS = REPO_ROOT / "config" / "watchlists.yaml"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher.from_file(WATCHLISTS)


@pytest.fixture(scope="session")
def watchlists_path() -> Path:
    return WATCHLISTS


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def _eval_script(name: str, filename: str) -> ModuleType:
    """A script under eval/, which is not a package module, loaded as one."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "eval" / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def eval_score() -> ModuleType:
    """eval/score.py, the hand-written corpus's gate."""
    return _eval_script("eval_score", "score.py")


@pytest.fixture(scope="session")
def eval_blind() -> ModuleType:
    """eval/score_blind.py, the report on the blind batteries."""
    return _eval_script("eval_score_blind", "score_blind.py")


@pytest.fixture(scope="session")
def eval_fit_text_model() -> ModuleType:
    """eval/fit_text_model.py, which fits the text model."""
    return _eval_script("eval_fit_text_model", "fit_text_model.py")
