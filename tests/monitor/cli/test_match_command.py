"""``monitor match``: the item contract's two country lists, the source's jurisdiction, the score explained."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.monitor.cli.test_options import _config

# Names no jurisdiction: its subject is the source's own.
LOCALISATION = {
    "title": "Data localisation rules for cloud providers",
    "text": "The ministry requires that personal data of citizens be stored on servers inside the country. "
    "Cloud providers must keep the data on local servers and obtain approval before any transfer abroad.",
}
ABOUT_EU = {
    "title": "EU-US Data Privacy Framework: adequacy decision adopted",
    "text": "The European Commission adopted its adequacy decision for the EU-US Data Privacy Framework.",
}


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``monitor ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr("sys.argv", ["monitor", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    captured = capsys.readouterr()
    return int(caught.value.code or 0), captured.out, captured.err


def _jsonl(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, lines: list[dict], *args: str
) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(line) + "\n" for line in lines)))
    code, out, err = run(monkeypatch, capsys, "--config", str(_config(tmp_path)), "match", "--jsonl", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_carries_about_and_mentioned_countries_and_the_fallback_jurisdiction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"id": "fallback", **LOCALISATION}, {"id": "own", **LOCALISATION, "jurisdiction": "IN"}, ABOUT_EU]
    fallback, own, about_eu = _jsonl(monkeypatch, capsys, tmp_path, lines, "--jurisdiction", "fr")
    assert fallback["id"] == "fallback" and fallback["flagged"]
    # The text names no jurisdiction: the source's is its subject, but the text does not mention it.
    assert fallback["countries"] == ["FR"] and "FR" not in fallback["mentioned_countries"]
    assert own["countries"] == ["IN"], "a line's own jurisdiction wins over --jurisdiction"
    assert about_eu["countries"][0] == "EU" and {"EU", "US"} <= set(about_eu["mentioned_countries"])
    assert "FR" not in about_eu["countries"], "the fallback is for texts that name no jurisdiction"
    assert all(0 <= topic["score"] <= 1 for line in (fallback, about_eu) for topic in line["topics"])


def test_text_output_explains_the_score_and_marks_what_it_is_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ABOUT_EU["title"] + "\n" + ABOUT_EU["text"] + "\n", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "--config", str(_config(tmp_path)), "match", str(article))
    assert code == 0, err
    assert "topic adequacy_decisions (score " in out and " of 1)" in out
    assert "score from: " in out, "the features behind the score are shown"
    assert "about: EU" in out and "EU*" in out
