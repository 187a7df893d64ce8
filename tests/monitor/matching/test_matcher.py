from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from monitor.matching import Matcher, TopicMatcher


def test_result_to_dict(matcher: Matcher) -> None:
    result = matcher.match(
        "Dutch AP fines Uber over transfers of drivers' data to the US",
        "The Autoriteit Persoonsgegevens said personal data was stored on servers in the United States.",
        "en",
    )
    d = result.to_dict()
    assert d["flagged"] is True
    # Most salient first: NL (Dutch and AP in the title, the authority in the lead) before US,
    # which has a title mention too but fewer mentions; only NL carries half the top weight.
    assert d["countries"] == ["NL", "US"]
    assert d["focus"] == ["NL"]
    topic = d["topics"][0]
    assert set(topic) == {"topic", "score", "terms", "evidence"}
    assert set(topic["evidence"][0]) == {"rule", "term", "field", "start", "end"}
    assert "cross_border_transfers" in d["reason"]
    json.dumps(d)


def test_unflagged(matcher: Matcher) -> None:
    result = matcher.match("Weather", "Sunny in most places.")
    assert not result.flagged and result.topics == [] and result.reason == ""


def test_topic_ids_and_cache(matcher: Matcher, watchlists_path) -> None:
    assert Matcher.from_file(watchlists_path) is matcher
    assert matcher.topic_ids == TopicMatcher.from_file(watchlists_path).topic_ids


def test_topic_matcher_agrees_with_matcher(matcher: Matcher, watchlists_path) -> None:
    title, text = "DSGVO und Drittlandtransfer", "Standardvertragsklauseln für China-Exporte."
    assert [t.topic for t in TopicMatcher.from_file(watchlists_path).match(title, text)] == [
        t.topic for t in matcher.match(title, text).topics
    ]


def test_thread_safe_reads(matcher: Matcher) -> None:
    texts = [("Datenlokalisierung in Russland", "Die DSGVO gilt."), ("", "数据出境安全评估")] * 50
    expected = [matcher.match(t, x).to_dict() for t, x in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda p: matcher.match(*p).to_dict(), texts))
    assert got == expected


def test_gating_changes_no_result(matcher: Matcher, watchlists_path, repo_root) -> None:
    """The scan skips NEAR-condition and exclusion terms in a field without an anchor of their
    rule or topic: every result (topics, scores, evidence, countries) must equal an ungated scan's."""
    from monitor.matching.automaton import TermIndex

    ungated = Matcher.build(watchlists_path)
    index = TermIndex()
    index.extend(ungated.topics.index_items())
    index.extend(ungated.countries.index_items())
    index.build()
    ungated._index = index
    with open(repo_root / "eval" / "corpus.jsonl", encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    assert items
    flagged = 0
    for item in items:
        for title, text in ((item["title"], item["text"]), ("", item["title"] + "\n" + item["text"])):
            got, want = matcher.match(title, text), ungated.match(title, text)
            assert got.to_dict() == want.to_dict(), item["id"]
            assert [h.reason for h in got.topics] == [h.reason for h in want.topics]
            flagged += got.flagged
    assert flagged > 50
