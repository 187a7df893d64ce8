"""The extraction quality gate (eval/score_extraction.py) under pytest: the text that the pipeline
stores for 181 real article pages scores at or above the floors pinned in
eval/extraction_floors.json, on the corpus those floors were measured on.

The pages live outside the repository (``../shared/corpus/aeb`` or ``MONITOR_AEB_CORPUS``); a
machine without them skips the gate and says why.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.paths import REPO_ROOT


def _gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", REPO_ROOT / "eval" / "score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_extraction_gate_holds_on_real_pages(capsys: pytest.CaptureFixture[str]) -> None:
    gate = _gate()
    if gate.default_corpus() is None:
        pytest.skip("no AEB corpus (../shared/corpus/aeb, or set MONITOR_AEB_CORPUS)")
    code = gate.main([])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert "181 pages" in captured.out


def test_the_score_is_the_benchmarks() -> None:
    gate = _gate()
    body = "The authority published its decision on transfers of personal data to third countries today"
    perfect = gate.score_pages([(body, body)])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    # Boilerplate added: recall stays whole, precision drops by the extra shingles' share.
    noisy = gate.score_pages([(body, body + " Subscribe to our newsletter for more news from the region")])
    assert noisy.recall == 1.0 and 0.4 < noisy.precision < 0.7
    # An empty prediction counts in recall only (precision is averaged over pages with a text).
    mixed = gate.score_pages([(body, body), (body, "")])
    assert mixed.precision == 1.0 and mixed.recall == 0.5


def test_another_corpus_is_an_error_not_a_pass(tmp_path: Path) -> None:
    gate = _gate()
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html.gz").write_bytes(gzip.compress(b"<html><body><p>Cup final</p></body></html>"))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"a": {"articleBody": "Cup final", "url": None}}))
    assert gate.main(["--corpus", str(tmp_path)]) == 2
    assert gate.main(["--corpus", str(tmp_path / "missing")]) == 2


def test_a_score_under_a_floor_fails(tmp_path: Path) -> None:
    gate = _gate()
    corpus = tmp_path / "aeb"
    (corpus / "html").mkdir(parents=True)
    truth = "The data protection authority fined the company for sending user data to the United States. " * 5
    page = f"<html><body><header>Menu Home News</header><article><p>{truth}</p></article></body></html>"
    (corpus / "html" / "a.html.gz").write_bytes(gzip.compress(page.encode()))
    (corpus / "ground-truth.json").write_text(json.dumps({"a": {"articleBody": truth, "url": None}}))
    floors = tmp_path / "floors.json"
    assert gate.main(["--corpus", str(corpus), "--floors", str(floors), "--pin"]) == 0
    assert gate.main(["--corpus", str(corpus), "--floors", str(floors)]) == 0  # at its own floors
    pinned = json.loads(floors.read_text())
    floors.write_text(json.dumps({**pinned, "recall": 1.01}))
    assert gate.main(["--corpus", str(corpus), "--floors", str(floors)]) == 1
