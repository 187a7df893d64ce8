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
    # Both are subjects: NL acts (Dutch and AP in the title, the authority in the lead), the US
    # receives the data (named in the title). NL first: more weight.
    assert d["countries"] == ["NL", "US"]
    assert d["mentioned_countries"] == ["NL", "US"]
    assert "focus" not in d
    assert result.about == d["countries"] and result.mentioned == d["mentioned_countries"]
    topic = d["topics"][0]
    assert {"topic", "score", "terms", "evidence"} <= set(topic)
    assert set(topic["evidence"][0]) == {"rule", "term", "field", "start", "end", "role"}
    assert "cross_border_transfers" in d["reason"]
    json.dumps(d)


def test_jurisdiction_is_the_fallback_subject(matcher: Matcher) -> None:
    """A text that names no jurisdiction is about its source's: a hit with no mentions, focus=True,
    in ``countries`` but not in ``mentioned_countries``."""
    result = matcher.match("Neue Regeln für Cloud-Anbieter", "Die Behörde prüft die Verträge.", "de", jurisdiction="AT")
    assert [(c.code, c.mentions, c.focus) for c in result.countries] == [("AT", 0, True)]
    assert result.to_dict()["countries"] == ["AT"] and result.to_dict()["mentioned_countries"] == []
    # A text that names its subject keeps it: the fallback is not added.
    named = matcher.match("Le gouvernement français et la CNIL", "Les règles changent.", "fr", jurisdiction="AT")
    assert named.about == ["FR"] and "AT" not in [c.code for c in named.countries]
    # A jurisdiction the text names only as a nationality is made the subject, and stays mentioned.
    nationality = matcher.match("", "Der österreichische Aktivist klagt.", "de", jurisdiction="AT")
    assert nationality.about == ["AT"] and nationality.mentioned == ["AT"]
    assert matcher.match("Weather", "Sunny in most places.").countries == []


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
