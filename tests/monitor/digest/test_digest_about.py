"""The digest groups, labels and filters by the jurisdictions an item is ABOUT, and lists by score."""

from __future__ import annotations

from datetime import timedelta

from monitor.config.schema import Recipient
from monitor.digest.render import DigestView, render
from monitor.digest.select import select_entries
from tests.monitor.digest.digest_helpers import EDPB_TEXT, NOW, Corpus

TOPIC = [("cross_border_transfers", ["Data Privacy Framework"])]


def _view(corpus: Corpus, recipient: Recipient | None = None) -> DigestView:
    with corpus.repository.sessions() as session:
        selection = select_entries(session, since=NOW - timedelta(days=1), until=NOW, recipient=recipient)
    return DigestView("Digest", NOW - timedelta(days=1), NOW, "Europe/Brussels", selection.entries)


def test_a_country_mentioned_in_passing_neither_groups_nor_labels_nor_subscribes(corpus: Corpus) -> None:
    # About the EU; the US and China are only named (say, "as in the US and China").
    corpus.add(
        "edpb",
        source="edpb",
        title="EDPB opinion on the Data Privacy Framework",
        text=EDPB_TEXT,
        topics=TOPIC,
        countries=["US", "CN", "EU"],
        about=["EU"],
        flagged_at=NOW - timedelta(hours=3),
    )
    groups = _view(corpus).groups
    assert [j.code for j in groups[0].jurisdictions] == ["EU"]
    entry = groups[0].jurisdictions[0].entries[0]
    assert entry.jurisdictions == ("EU",)
    text = render(_view(corpus)).text
    assert "European Union" in text and "CN" not in text and "US" not in text.replace("EU-US", "")
    china_desk = Recipient(email="china@example.org", countries=["CN"])
    assert _view(corpus, china_desk).entries == []


def test_items_of_a_group_come_by_score_ties_newest_first(corpus: Corpus) -> None:
    for key, score, hours in [("weak-new", 0.45, 1), ("strong-old", 0.95, 9), ("mid-old", 0.7, 8), ("mid-new", 0.7, 2)]:
        corpus.add(
            key,
            source="edpb",
            title=f"Data Privacy Framework {key}",
            text=EDPB_TEXT,
            topics=TOPIC,
            countries=["EU"],
            scores=[score],
            flagged_at=NOW - timedelta(hours=hours),
            published_at=NOW - timedelta(hours=hours),
        )
    entries = _view(corpus).groups[0].jurisdictions[0].entries
    assert [e.title.rsplit(" ", 1)[1] for e in entries] == ["strong-old", "mid-new", "mid-old", "weak-new"]
