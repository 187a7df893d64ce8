"""The text model: the same probabilities as scikit-learn, read from its file, and a rescue that
only ever adds a flag to a candidate the rules scored under its threshold."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from types import ModuleType

import pytest

from monitor.matching import TopicMatcher, relevance, text_model
from monitor.matching.normalize import normalize

FILLER = "The club reported record ticket sales and the coach praised the defence after the match. " * 20
MENTION = "The app's provider also faces questions over transfers of personal data to the United States. "


def test_tokens_are_words_pairs_and_chinese_character_pairs() -> None:
    assert text_model.tokens("data law", "passed today") == [
        *["data", "law", "data", "law", "passed", "today"],
        *["data law", "law data", "data law", "law passed", "passed today"],
    ]
    chinese = text_model.tokens("", "数据出境 rules")
    assert {"数据", "据出", "出境", "rules"} <= set(chinese) and "数据出境" not in chinese
    # Only the start of a long text is read.
    long = text_model.tokens("", "word " * 5000 + "sovereignty")
    assert "sovereignty" not in long


def test_probabilities_are_scikit_learns() -> None:
    """The shipped file's arithmetic (sublinear tf, idf, l2 norm, logistic) against the library
    that fitted it, on a small model fitted here."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [
        ("Data must stay in the country", "The law requires local servers for personal data."),
        ("Transfers to third countries", "The regulator suspended transfers of personal data abroad."),
        ("Cup final tonight", "The club sold every ticket for the final; the coach is confident."),
        ("Transfer window", "The club completed the transfer of its striker for a record fee."),
        ("数据出境安全评估", "网信办发布数据出境安全评估办法。"),
        ("足球转会", "俱乐部完成了前锋的转会。"),
    ]
    labels = [True, True, False, False, True, False]
    docs = [(normalize(t).text, normalize(x).text) for t, x in docs]
    vectorizer = TfidfVectorizer(analyzer=lambda d: text_model.tokens(*d), min_df=1, sublinear_tf=True)
    fitted = LogisticRegression(C=10, max_iter=1000).fit(vectorizer.fit_transform(docs), labels)
    vocabulary = sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
    data = text_model.to_dict(
        [t for t, _ in vocabulary],
        [float(fitted.coef_[0][i] * vectorizer.idf_[i]) for _, i in vocabulary],
        [float(vectorizer.idf_[i]) for _, i in vocabulary],
        float(fitted.intercept_[0]),
        rescue=0.5,
    )
    model = text_model.from_dict(json.loads(json.dumps(data)))
    probe = [*docs, (normalize("Servers abroad").text, normalize("Nothing the model knows: zebra quokka.").text)]
    expected = fitted.predict_proba(vectorizer.transform(probe))[:, 1]
    for (title, text), p in zip(probe, expected, strict=True):
        assert model.probability(title, text) == pytest.approx(float(p), abs=1e-9)


def _model(weights: dict[str, float], bias: float = 0.0, rescue: float | None = 0.5) -> text_model.TextModel:
    return text_model.TextModel(weights, {t: 1.0 for t in weights}, bias, rescue)


def test_a_file_that_is_absent_broken_or_switched_off_gives_no_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert text_model.load(tmp_path / "absent.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text('{"terms": ["a"], "weights": []}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert text_model.load(broken) is None
    assert "broken.json" in caplog.text and "not a text model" in caplog.text
    off = tmp_path / "off.json"
    off.write_text(json.dumps(text_model.to_dict(["a"], [1.0], [1.0], 0.0, rescue=None)), encoding="utf-8")
    assert text_model.load(off) is None
    with pytest.raises(ValueError, match="rescue"):
        text_model.from_dict(text_model.to_dict(["a"], [1.0], [1.0], 0.0, rescue=1.5))


def test_the_shipped_model_loads_and_reads_wording_not_keywords() -> None:
    model = text_model.load()
    assert model is not None and model.rescue is not None and len(model.idf) >= 1000
    data = json.loads(text_model.PATH.read_text(encoding="utf-8"))
    assert data["cross_validation"]["none"]["f1"] <= data["cross_validation"][f"{model.rescue:.2f}"]["f1"]
    on = model.probability(
        normalize("Regulator suspends transfers of personal data to the United States").text,
        normalize(
            "The data protection authority ordered the ministry to stop sending citizens' records to a US cloud"
            " provider, citing the risk of access by American intelligence agencies under FISA."
        ).text,
    )
    off = model.probability(normalize("Home win lifts the club").text, normalize(FILLER).text)
    assert on > 0.5 > off


@pytest.fixture
def plain(watchlists_path: Path) -> TopicMatcher:
    matcher = TopicMatcher.from_file(watchlists_path)
    matcher.reader = None
    return matcher


def test_a_candidate_under_its_threshold_is_rescued_only_when_the_model_reads_it_on_topic(plain: TopicMatcher) -> None:
    title, text = "Home win lifts the club to second place", FILLER + MENTION + FILLER
    assert plain.match(title, text) == []  # a candidate, under its threshold
    plain.reader = _model({"transfers": 50.0}, bias=-10.0, rescue=0.9)
    (hit,) = plain.match(title, text)
    threshold = plain.thresholds[plain.topic_ids.index(hit.topic)]
    assert hit.topic == "cross_border_transfers" and hit.score == round(threshold, 3)
    assert hit.features["text_model"] > 0.9 and "text model" in hit.reason
    assert set(relevance.FEATURES) <= set(hit.features)
    plain.reader = _model({"transfers": 1.0, "coach": -50.0}, rescue=0.9)  # the wording says: sport
    assert plain.match(title, text) == []


def test_a_text_without_evidence_is_never_flagged_by_wording_alone(plain: TopicMatcher) -> None:
    plain.reader = _model({"club": 1.0}, bias=60.0, rescue=0.5)  # reads everything as on topic
    assert plain.match("Home win lifts the club to second place", FILLER) == []


class _Refuses(text_model.TextModel):
    def probability(self, title: str, text: str) -> float:  # noqa: ARG002
        raise AssertionError("the text model was read for a text the rules already flag")


def test_a_flag_the_rules_give_is_kept_without_reading_the_model(plain: TopicMatcher) -> None:
    expected = plain.match("Regulator orders stop to transfers of personal data to the United States", MENTION)
    assert expected and all(h.score >= plain.thresholds[plain.topic_ids.index(h.topic)] for h in expected)
    plain.reader = _Refuses({}, {}, 0.0, 0.5)
    got = plain.match("Regulator orders stop to transfers of personal data to the United States", MENTION)
    assert [(h.topic, h.score) for h in got] == [(h.topic, h.score) for h in expected]
    assert all("text_model" not in h.features for h in got)


def test_the_logistic_is_safe_at_extremes() -> None:
    model = _model({"a": 1.0}, bias=1e6)
    assert model.probability("", "") == 1.0
    assert _model({"a": 1.0}, bias=-1e6).probability("", "") == pytest.approx(0.0, abs=1e-20)
    assert math.isclose(_model({"a": 0.0}).probability("a", ""), 0.5)


def test_the_shipped_model_was_fitted_on_the_texts_the_script_reads_now(
    repo_root: Path, eval_fit_text_model: ModuleType
) -> None:
    """A battery added after the fit is named in ``HELD_OUT`` (read held out), so that the script
    still rebuilds the shipped model from the same texts."""
    fit = eval_fit_text_model
    shipped = json.loads(text_model.PATH.read_text(encoding="utf-8"))
    assert len(fit.other_texts()) == shipped["training"]["other_texts"]
    batteries = {p.name for p in (repo_root / "eval" / "blind").glob("*.jsonl")}
    assert fit.HELD_OUT <= batteries, "HELD_OUT names a battery that is not there"
