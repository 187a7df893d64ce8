"""The real-text gate (eval/score_real.py) under pytest: the test part's figures at or above the
floors pinned in eval/real/floors.json, on the corpus those floors were measured on.

The corpus is rebuilt from public snapshots (eval/real/build.py; .ci/run does it where the
snapshots are on the machine); most of its texts may not be redistributed, so a checkout without
it skips this test and says why.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.paths import REPO_ROOT

ARTICLES = REPO_ROOT / "eval" / "real" / "articles.jsonl"


def _score_real() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_real", REPO_ROOT / "eval" / "score_real.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not ARTICLES.exists(),
    reason=f"{ARTICLES.relative_to(REPO_ROOT)} not built: run `python eval/real/build.py` (needs the snapshots "
    "named in eval/real/SOURCE.md)",
)
def test_the_real_text_gate_holds(capsys: pytest.CaptureFixture[str]) -> None:
    code = _score_real().main(["--part", "test"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err


def test_the_split_is_fixed_by_the_id_alone() -> None:
    score_real = _score_real()
    ids = [f"set:{n}" for n in range(2000)]
    parts = [score_real.part_of(i) for i in ids]
    assert parts == [score_real.part_of(i) for i in ids]
    share = parts.count("tune") / len(parts)
    assert abs(share - score_real.TUNE_SHARE) < 0.05, share


def test_a_changed_corpus_is_an_error_not_a_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    score_real = _score_real()
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "a.tsv").write_text("id\ton_topic\ttopics\tcountries\tnote\nx:1\t0\t\t\t\n", encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        '{"id": "x:1", "lang": "en", "title": "Cup final", "text": "The striker scored twice.", '
        '"source_dataset": "x"}\n',
        encoding="utf-8",
    )
    floors = tmp_path / "floors.json"
    floors.write_text('{"corpus_sha256": "0000", "test": {"flag_precision": 0.5}}', encoding="utf-8")
    monkeypatch.setattr(score_real, "ARTICLES", articles)
    monkeypatch.setattr(score_real, "LABELS", labels)
    monkeypatch.setattr(score_real, "FLOORS", floors)
    assert score_real.main([]) == 2
