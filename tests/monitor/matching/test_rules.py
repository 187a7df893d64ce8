from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.matching import TopicMatcher
from monitor.matching.rules import RuleSyntaxError, parse_rule, parse_term
from tests.helpers import CONFIG_DIR


def test_term_markers() -> None:
    term = parse_term("=DSA")
    assert term.exact_case and term.key == "dsa"
    term = parse_term("Datenlokalisierung*")
    assert term.open_right and not term.open_left and term.key == "datenlokalisierung"
    term = parse_term("*datenschutzrahmen")
    assert term.open_left
    assert parse_term("数据出境").cjk


def test_a_term_written_twice_is_one_shared_object() -> None:
    # A watchlist names "data" in dozens of rules: one object each keeps its cache small.
    assert parse_term(" personal data ") is parse_term("personal data")
    assert parse_term("=DSA") is not parse_term("DSA")


def test_rule_with_conditions() -> None:
    rule = parse_rule("(localization | localisation) NEAR/8 (data | law) NOT NEAR/5 software", "r1")
    assert [t.key for t in rule.anchor.terms] == ["localization", "localisation"]
    assert [(c.negated, c.window) for c in rule.conditions] == [(False, 8), (True, 5)]


@pytest.mark.parametrize(
    "bad",
    [
        "a NEAR b",
        "(aa | bb",
        "aa*bb",
        "x",
        "aa near/3 bb",
        "aa NEAR/0 bb",
        "aa | bb",
        "aa NEAR/3",
        "",
        "aa NEAR/999 bb",
    ],
)
def test_malformed_rules(bad: str) -> None:
    with pytest.raises(RuleSyntaxError):
        parse_rule(bad)


def _watchlist(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "watchlists.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_malformed_rule_is_config_error_naming_file_and_rule(tmp_path: Path) -> None:
    path = _watchlist(tmp_path, "topics:\n  t1:\n    terms:\n      en: ['data NEAR 8 localization']\n")
    with pytest.raises(ConfigError) as exc:
        TopicMatcher.from_file(path)
    message = str(exc.value)
    assert str(path) in message and "topics.t1.terms.en[0]" in message and "data NEAR 8 localization" in message
    assert exc.value.exit_code == 2


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("topics: {}\n", "topics"),
        ("topics:\n  t1:\n    terms:\n      xx: [foo]\n", "topics.t1.terms.xx"),
        ("topics:\n  t1:\n    terms:\n      en: ['@nope NEAR/3 data']\n", "topics.t1.terms.en[0]"),
        ("topics:\n  T1:\n    terms:\n      en: [foo]\n", "topics.T1"),
        ("topics:\n  t1:\n    bogus: 1\n    terms:\n      en: [foo]\n", "topics.t1.bogus"),
        ("topics: [\n", "line"),
    ],
)
def test_bad_watchlists(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        TopicMatcher.from_file(_watchlist(tmp_path, body))
    assert key in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        TopicMatcher.from_file(tmp_path / "nope.yaml")


def test_groups_and_weights(tmp_path: Path) -> None:
    path = _watchlist(
        tmp_path,
        "groups:\n  ctx: [data, privacy]\n"
        "topics:\n  t1:\n    terms:\n      en:\n        - 'widget NEAR/3 @ctx'\n"
        "        - {rule: '=ABC', weight: 0.5}\n",
    )
    matcher = TopicMatcher.from_file(path)
    assert [h.topic for h in matcher.match("", "the widget for data")] == ["t1"]
    assert matcher.match("", "the widget for cheese") == []
    assert matcher.match("", "ABC once") == []  # weight 0.5 < min_score 1.0
    twice = matcher.match("", "ABC and again ABC")
    assert [h.topic for h in twice] == ["t1"] and twice[0].features["evidence_mass"] == 1.0
    assert matcher.match("", "abc twice abc") == []  # exact case


def test_a_group_in_an_exclude_list(tmp_path: Path) -> None:
    # exclude: ["@lures"] stands for the group's terms, as @ctx does in a rule.
    body = "groups:\n  lures: [phishing, spoofed]\ntopics:\n  t1:\n    terms:\n      en: [widget law]\n"
    matcher = TopicMatcher.from_file(_watchlist(tmp_path, body + '    exclude: ["@lures"]\n'))
    assert matcher.match("", "Spoofed emails cite the widget law.") == []
    assert [h.topic for h in matcher.match("", "Ministers passed the widget law.")] == ["t1"]
    with pytest.raises(ConfigError, match="unknown group @bait"):
        TopicMatcher.from_file(_watchlist(tmp_path, body + '    exclude: ["@bait"]\n'))


def test_shipped_watchlist_loads() -> None:
    matcher = TopicMatcher.from_file(CONFIG_DIR / "watchlists.yaml")
    assert set(matcher.topic_ids) == {
        "data_localization",
        "data_sovereignty",
        "cross_border_transfers",
        "adequacy_decisions",
        "standard_contractual_clauses",
        "platform_regulation",
        "ai_regulation",
        "government_access",
    }
