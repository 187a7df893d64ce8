"""The matching quality gate (eval/score.py) as a test: fails below the floors in eval/floors.json."""

from __future__ import annotations

import importlib.util
import json
import sys


def test_eval_gate(capsys, repo_root) -> None:
    spec = importlib.util.spec_from_file_location("eval_score", repo_root / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    floors = json.loads((repo_root / "eval" / "floors.json").read_text(encoding="utf-8"))
    assert floors["topic_f1"] >= 0.95 and floors["jurisdiction_f1"] >= 0.95
    corpus = module.load_corpus(repo_root / "eval" / "corpus.jsonl")
    assert len(corpus) >= 120
    assert {item["lang"] for item in corpus} == {"en", "de", "fr", "nl", "es", "it", "pt", "zh"}
    code = module.main(["--errors"])
    out = capsys.readouterr().out
    assert code == 0, out
