"""The real-text gate (eval/score_real.py) under pytest: the test part's figures at or above the
floors pinned in eval/real/floors.json, on the corpus those floors were measured on.

The corpus is rebuilt from public snapshots (eval/real/build.py; .ci/run does it where the
snapshots are on the machine); most of its texts may not be redistributed, so a checkout without
it skips this test and says why.
"""

from __future__ import annotations

import importlib.util
import json
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


def _reading(on_topic: str, topics: str = "", countries: str = "", note: str = "") -> dict[str, str]:
    return {"id": "x:1", "on_topic": on_topic, "topics": topics, "countries": countries, "note": note}


def test_the_label_is_the_majority_of_the_readings_with_the_first_majority_readers_lists() -> None:
    resolve = _score_real().resolve
    first = _reading("1", "government_access", "DE")
    assert resolve([first]) == (first, False)
    assert resolve([first, _reading("1", "platform_regulation", "AT")]) == (first, False)
    second_off, third_off = _reading("0"), _reading("0", note="borderline: a crime story")
    assert resolve([first, second_off, third_off]) == (second_off, True)
    third_on = _reading("1", "government_access", "DE,EU")
    assert resolve([first, second_off, third_on]) == (first, True)
    second_on = _reading("1", "data_sovereignty", "FR")
    assert resolve([_reading("0"), second_on, third_on]) == (second_on, True)


def test_two_readings_that_disagree_without_a_third_are_an_error() -> None:
    score_real = _score_real()
    with pytest.raises(score_real.CorpusError, match="no third reading"):
        score_real.resolve([_reading("1"), _reading("0")])


def test_reader_agreement_scores_the_second_reading_against_the_first() -> None:
    agreement = _score_real().agreement
    items = [
        {"readings": [True, True], "on_topic": True, "first_borderline": False},
        {"readings": [True, False, False], "on_topic": False, "first_borderline": False},
        {"readings": [False, True, False], "on_topic": False, "first_borderline": False},
        {"readings": [False, False], "on_topic": False, "first_borderline": False},
        {"readings": [False], "on_topic": False, "first_borderline": False},
        {"readings": [False], "on_topic": False, "first_borderline": False},
    ]
    figures = agreement(items)
    assert figures["read_twice"] == 4 and figures["read_thrice"] == 2
    assert figures["precision"] == 0.5 and figures["recall"] == 0.5
    assert figures["first_only"] == 1 and figures["second_only"] == 1
    assert figures["flipped_to_off"] == 1 and figures["flipped_to_on"] == 0
    # Observed agreement 0.5, chance agreement 0.5: no better than chance.
    assert figures["kappa"] == 0.0
    # Two of the four plain negatives were read twice, one of them on: over the whole part that
    # stands for two second-only calls beside the one agreed positive.
    assert figures["sampled_negatives"] == 2
    assert figures["precision_whole_part"] == 1 / 3


def test_a_later_reading_of_an_unknown_id_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    score_real = _score_real()
    labels, readings = tmp_path / "labels", tmp_path / "readings"
    labels.mkdir()
    readings.mkdir()
    header = "id\ton_topic\ttopics\tcountries\tnote\n"
    (labels / "a.tsv").write_text(header + "x:1\t0\t\t\t\n", encoding="utf-8")
    (readings / "second.tsv").write_text(header + "x:2\t1\tgovernment_access\tDE\t\n", encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"id": "x:1", "lang": "en", "title": "t", "text": "t", "source_dataset": "x"}\n')
    monkeypatch.setattr(score_real, "ARTICLES", articles)
    monkeypatch.setattr(score_real, "LABELS", labels)
    monkeypatch.setattr(score_real, "READINGS", readings)
    with pytest.raises(score_real.CorpusError, match="no first label"):
        score_real.load()
    assert [item["on_topic"] for item in score_real.load(readings=False)] == [False]


def test_pinning_the_first_reading_is_refused_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    score_real = _score_real()

    def fail() -> None:
        raise AssertionError("the corpus was loaded")

    monkeypatch.setattr(score_real, "load", lambda readings=True: fail())
    assert score_real.main(["--first-reading", "--pin"]) == 2


def test_the_other_calibration_is_scored_and_the_matcher_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    score_real = _score_real()
    from monitor.matching import Matcher, relevance

    watchlist = tmp_path / "watchlists.yaml"
    watchlist.write_text("topics:\n  t1:\n    terms:\n      en: [widget law]\n", encoding="utf-8")
    matcher = Matcher.build(watchlist)
    assert matcher.topics.model is relevance.HAND_MODEL
    # A passing mention deep in a long text: the hand-set weights do not flag it.
    passing = "The council met to discuss the harbour. " * 150 + "A widget law was mentioned once."
    items = [
        {"id": "x:1", "part": "test", "on_topic": True, "title": "The widget law passes", "text": ""},
        {"id": "x:2", "part": "tune", "on_topic": False, "title": "Harbour works", "text": passing},
        {"id": "x:3", "part": "tune", "on_topic": False, "title": "Cup final", "text": "The striker scored."},
    ]
    for item in items:
        item.update(lang="en", source_dataset="x")
    assert not matcher.match(items[1]["title"], passing, "en").topics
    monkeypatch.setattr(relevance, "LEARNED_PATH", tmp_path / "missing.json")
    assert score_real.other_calibration(items, matcher) is None
    learned = tmp_path / "relevance.json"
    # Weights that flag every candidate: the learned figures must differ from the hand-set ones.
    learned.write_text(json.dumps({"active": False, "weights": {"bias": 50.0}}), encoding="utf-8")
    monkeypatch.setattr(relevance, "LEARNED_PATH", learned)
    name, counts = score_real.other_calibration(items, matcher)
    assert name == "learned (inactive) weights"
    assert counts["test"].tp == 1 and counts["tune"].fp == 1  # the passing mention, flagged
    assert counts["all"].fp == 1 and counts["all"].fn == 0
    assert matcher.topics.model is relevance.HAND_MODEL
    assert not matcher.match(items[1]["title"], passing, "en").topics  # the hand-set weights are back
    # A broken file is a warning and no line, not a crash of the gate.
    learned.write_text('{"weights": {"bias": "high"}', encoding="utf-8")
    assert score_real.other_calibration(items, matcher) is None
    assert "relevance.json not scored" in capsys.readouterr().err


def test_the_rules_alone_are_scored_beside_the_text_models_rescue(tmp_path: Path) -> None:
    score_real = _score_real()
    from monitor.matching import Matcher, text_model

    watchlist = tmp_path / "watchlists.yaml"
    watchlist.write_text("topics:\n  t1:\n    terms:\n      en: [widget law]\n", encoding="utf-8")
    matcher = Matcher.build(watchlist)
    passing = "The council met to discuss the harbour. " * 150 + "A widget law was mentioned once."
    items = [
        {"id": "x:1", "part": "test", "on_topic": True, "title": "Harbour works", "text": passing},
        {"id": "x:2", "part": "tune", "on_topic": False, "title": "Cup final", "text": "The striker scored."},
    ]
    for item in items:
        item.update(lang="en", source_dataset="x")
    matcher.topics.reader = None
    assert score_real.rules_alone(items, matcher) is None  # no model: no second line
    reads_all = text_model.TextModel({"harbour": 1.0}, {"harbour": 1.0}, 60.0, 0.5)
    matcher.topics.reader = reads_all
    assert matcher.match(items[0]["title"], passing, "en").topics  # rescued: a candidate, read as on topic
    name, counts = score_real.rules_alone(items, matcher)
    assert name == "rules alone (no text model)"
    assert counts["test"].fn == 1 and counts["test"].tp == 0 and counts["tune"].fp == 0
    assert matcher.topics.reader is reads_all  # the matcher keeps its model
