"""The matching quality gate (eval/score.py): exit 0 at or above the floors of eval/floors.json,
1 below one, 2 on a bad corpus or floors file."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from monitor.matching import languages

ON_TOPIC = {
    "id": "en-x1",
    "lang": "en",
    "title": "EU-US Data Privacy Framework: adequacy decision adopted",
    "text": "The European Commission adopted its adequacy decision for the EU-US Data Privacy Framework.",
    "topics": ["adequacy_decisions"],
    "countries": ["EU", "US"],
}


def _write_corpus(path: Path, *items: dict) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def _write_floors(path: Path, floors: dict[str, float]) -> Path:
    path.write_text(json.dumps(floors), encoding="utf-8")
    return path


def test_the_corpus_passes_the_gate(eval_score: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    code = eval_score.main(["--errors"])
    out = capsys.readouterr().out
    assert code == 0, out


def test_a_figure_below_its_floor_fails(
    eval_score: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert eval_score.main(["--json", "--floors", str(_write_floors(tmp_path / "none.json", {}))]) == 0
    measured = json.loads(capsys.readouterr().out)
    at = _write_floors(tmp_path / "at.json", {"topic_f1": measured["topic_f1"]})
    assert eval_score.main(["--floors", str(at)]) == 0  # a floor is a minimum, not a bar to exceed
    above = _write_floors(tmp_path / "above.json", {"jurisdiction_f1": measured["jurisdiction_f1"] + 0.0001})
    capsys.readouterr()
    assert eval_score.main(["--floors", str(above)]) == 1
    assert "FAIL: jurisdiction_f1" in capsys.readouterr().err


def test_wrong_labels_fail_the_real_floors(
    eval_score: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = _write_corpus(tmp_path / "good.jsonl", ON_TOPIC)
    assert eval_score.main(["--corpus", str(corpus)]) == 0
    wrong = dict(ON_TOPIC, topics=["government_access"], countries=["CN"])
    corpus = _write_corpus(tmp_path / "wrong.jsonl", wrong)
    capsys.readouterr()
    assert eval_score.main(["--corpus", str(corpus), "--errors"]) == 1
    captured = capsys.readouterr()
    assert "FAIL: topic_f1" in captured.err and "FAIL: jurisdiction_f1" in captured.err
    assert "en-x1: missed government_access" in captured.out
    assert "en-x1: false positive adequacy_decisions" in captured.out


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([dict(ON_TOPIC, lang="xx")], "lang 'xx' is not a watchlist language"),
        ([ON_TOPIC, ON_TOPIC], "duplicate id en-x1"),
        ([{k: v for k, v in ON_TOPIC.items() if k != "countries"}], "missing countries"),
    ],
)
def test_a_bad_corpus_exits_2(
    eval_score: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path, items: list[dict], message: str
) -> None:
    corpus = _write_corpus(tmp_path / "bad.jsonl", *items)
    assert eval_score.main(["--corpus", str(corpus)]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_floors_file_exits_2(eval_score: ModuleType, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text("{topic_f1: 0.95", encoding="utf-8")
    assert eval_score.main(["--floors", str(floors)]) == 2
    assert eval_score.main(["--floors", str(tmp_path / "missing.json")]) == 2


def test_the_corpus_covers_every_watchlist_language(eval_score: ModuleType, repo_root: Path) -> None:
    """A watchlist language without texts would pass the gate unmeasured."""
    corpus = eval_score.load_corpus(repo_root / "eval" / "corpus.jsonl")
    assert {item["lang"] for item in corpus} == set(languages.watchlist_codes())
