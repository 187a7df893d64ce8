"""eval/score_blind.py and the batteries it reads: every item valid, every figure counted."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from monitor.matching import Matcher
from tests.helpers import REPO_ROOT

BLIND = REPO_ROOT / "eval" / "blind"


def test_every_battery_item_is_well_formed(eval_blind: ModuleType, matcher: Matcher) -> None:
    items = eval_blind.load(sorted(BLIND.glob("*.jsonl")))
    assert len(items) >= 100
    known_topics = set(matcher.topics.topic_ids)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for item in items:
        assert item["on_topic"] in (0, 1), item["id"]
        assert set(item["topics"]) <= known_topics, item["id"]
        assert bool(item["topics"]) == bool(item["on_topic"]), item["id"]
        assert all(len(code) == 2 and code.isupper() for code in item["countries"]), item["id"]
        # A feed item can be a headline alone (eval/blind/feeds.jsonl), never an empty text.
        assert item["title"].strip(), item["id"]
        assert isinstance(item["text"], str), item["id"]


def _battery(path: Path, *items: dict) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def test_flags_topics_and_countries_are_counted(eval_blind: ModuleType, matcher: Matcher, tmp_path: Path) -> None:
    on = {
        "id": "t-1",
        "lang": "en",
        "on_topic": 1,
        "topics": ["adequacy_decisions"],
        "countries": ["EU", "US"],
        "title": "EU-US Data Privacy Framework upheld",
        "text": "The European Commission's adequacy decision for the EU-US Data Privacy Framework stands.",
    }
    trap = {
        "id": "t-2",
        "lang": "en",
        "on_topic": 0,
        "topics": [],
        "countries": [],
        "title": "Transfer window",
        "text": "The striker's transfer fee was a club record.",
    }
    missed = {
        "id": "t-3",
        "lang": "en",
        "on_topic": 1,
        "topics": ["government_access"],
        "countries": ["GB"],
        "title": "Weather",
        "text": "Rain tomorrow.",
    }
    table = eval_blind.measure(eval_blind.load([_battery(tmp_path / "b.jsonl", on, trap, missed)]), matcher)
    flags = table["all"]["flags"]
    assert (flags.tp, flags.fp, flags.fn) == (1, 0, 1)
    assert table["b en"]["countries"].tp == 2
    assert table["all"]["topics"].fn == 1


def test_a_malformed_item_names_its_file_and_line(eval_blind: ModuleType, tmp_path: Path) -> None:
    path = _battery(tmp_path / "bad.jsonl", {"id": "x", "lang": "en", "title": "t", "text": "t"})
    with pytest.raises(ValueError, match=r"bad.jsonl:1: missing \['countries', 'on_topic', 'topics'\]"):
        eval_blind.load([path])


def test_a_broken_line_is_a_one_line_error_and_exit_2(
    eval_blind: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "x", "lang": "en",\n', encoding="utf-8")
    assert eval_blind.main([str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: broken.jsonl:1: not JSON") and "\n" not in err
