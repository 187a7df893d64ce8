"""Issue 17, point 4: what the digest got wrong when tried as a new user would; each test failed before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from monitor.digest.render import DigestView, render
from monitor.digest.select import select_entries
from monitor.digest.snippets import snippet
from monitor.export.atom import ATOM_NS, build_feed
from monitor.storage.models import Article
from monitor.storage.stories import stories_for
from monitor.web.stories import stories_of
from tests.monitor.digest.digest_helpers import CAC_TEXT, NOW, Corpus


def _reprint_first(corpus: Corpus) -> None:
    """Reuters' copy was crawled first; the regulator's original points at it."""
    corpus.add(
        "china-rules",
        source="reuters",
        title="China relaxes cross-border data transfer rules",
        text=CAC_TEXT,
        topics=[("cross_border_transfers", ["cross-border data transfers"])],
        countries=["CN"],
        flagged_at=NOW - timedelta(hours=3),
    )
    corpus.add(
        "cac-rules",
        source="cac",
        title="促进和规范数据跨境流动规定",
        text=CAC_TEXT,
        topics=[("cross_border_transfers", ["cross-border data transfers"])],
        countries=["CN"],
        flagged_at=NOW - timedelta(hours=2),
        duplicate_of=corpus.canonical("china-rules", "reuters"),
    )


def test_the_regulators_original_leads_a_story_whose_reprint_was_crawled_first(corpus: Corpus) -> None:
    _reprint_first(corpus)
    with corpus.repository.sessions() as session:
        entries = select_entries(session, since=NOW - timedelta(days=1), until=NOW).entries
        articles = list(session.scalars(select(Article).where(Article.flagged.is_(True)).order_by(Article.id)))
        kinds = corpus.repository.source_kinds()
        feed_primary = stories_for(session, articles, kinds)[0].primary.source_id
        web_primary = stories_of(session, articles, kinds)[0].primary.source_id
        tree = build_feed(stories_for(session, articles, kinds), {"cac": "CAC", "reuters": "Reuters"})
    assert len(entries) == 1
    entry = entries[0]
    assert entry.source == "Cyberspace Administration of China"
    assert entry.url == corpus.canonical("cac-rules", "cac")
    assert [copy.source for copy in entry.also] == ["Reuters"]
    assert feed_primary == web_primary == "cac"  # one rule: digest, Atom and web agree
    atom_entry = tree.getroot().find(f"{{{ATOM_NS}}}entry")
    assert atom_entry is not None
    assert atom_entry.findtext(f"{{{ATOM_NS}}}author/{{{ATOM_NS}}}name") == "CAC"
    text = render(DigestView("Digest", None, NOW, "UTC", entries)).text
    assert "Also reported by: Reuters" in text and text.index("促进和规范") < text.index("Also reported by")


def test_a_story_with_several_topics_shows_once_under_its_best_topic_and_names_the_others(corpus: Corpus) -> None:
    corpus.add(
        "bfdi-cloud",
        source="bfdi",
        title="BfDI fordert souveräne Cloud für den Bund",
        text="Der BfDI fordert eine souveräne Cloud. Datenlokalisierung allein reiche nicht.",
        topics=[("cloud_sovereignty", ["souveräne Cloud"]), ("data_localization", ["Datenlokalisierung"])],
        scores=[0.4, 0.8],
        countries=["DE"],
        flagged_at=NOW - timedelta(hours=1),
    )
    corpus.add(
        "cnil-cloud",
        source="cnil",
        title="La CNIL et le cloud souverain",
        text="Le cloud souverain selon la CNIL.",
        topics=[("cloud_sovereignty", ["cloud souverain"])],
        countries=["FR"],
        flagged_at=NOW - timedelta(hours=1),
    )
    with corpus.repository.sessions() as session:
        entries = select_entries(session, since=NOW - timedelta(days=1), until=NOW).entries
    labels = {"cloud_sovereignty": "Cloud sovereignty", "data_localization": "Data localization"}
    view = DigestView("Digest", None, NOW, "UTC", entries, topic_labels=labels)
    bfdi = next(e for e in entries if e.source == "BfDI")
    assert bfdi.group_topic == "data_localization"  # its highest score
    assert bfdi.other_topics == ("cloud_sovereignty",)
    # Each item is counted once, under the section it is shown in; every count agrees.
    assert view.topic_counts == {"cloud_sovereignty": 1, "data_localization": 1}
    assert sum(view.topic_counts.values()) == len(entries) == 2
    rendered = render(view)
    title = "BfDI fordert souveräne Cloud für den Bund"
    assert rendered.text.count(title) == 1 and rendered.html.count(title) == 1
    assert "CLOUD SOVEREIGNTY (1)" in rendered.text and "DATA LOCALIZATION (1)" in rendered.text
    assert "  Cloud sovereignty: 1 (+1 under another topic)" in rendered.text
    assert (
        "Also about: Cloud sovereignty" in rendered.text and "Also about:</strong> Cloud sovereignty" in rendered.html
    )


def test_only_the_evidence_that_made_a_rule_fire_is_highlighted() -> None:
    text = "The UK Commission said data transfers to third countries need an adequacy decision."

    def at(term: str, role: str) -> dict[str, object]:
        start = text.index(term)
        return {"rule": "r1", "term": term, "field": "text", "start": start, "end": start + len(term), "role": role}

    evidence = [at("transfers", "anchor"), at("data", "context"), at("UK", "context"), at("Commission", "context")]
    assert [s.text for s in snippet(text, evidence) if s.hit] == ["transfers"]
    # The summary fallback (no stored text) looks for the anchors' terms only, not the context words.
    assert [s.text for s in snippet(text, (), terms=["transfers"]) if s.hit] == ["transfers"]


def test_highlights_in_an_entry_are_the_fired_terms_not_the_context(corpus: Corpus) -> None:
    corpus.add(
        "edpb",
        source="edpb",
        title="EDPB on transfers",
        text="The Commission said data transfers to the UK need safeguards.",
        topics=[("cross_border_transfers", ["transfers", "data", "UK", "Commission"])],
        countries=["EU"],
        flagged_at=NOW - timedelta(hours=1),
    )
    with corpus.repository.sessions.begin() as session:
        article = session.scalars(select(Article)).one()
        match = article.topics[0]
        match.evidence = [
            dict(item, role="anchor" if item["term"] == "transfers" else "context") for item in match.evidence
        ]
    with corpus.repository.sessions() as session:
        entry = select_entries(session, since=None, until=NOW).entries[0]
    assert [s.text for s in entry.snippet if s.hit] == ["transfers"]
    assert entry.terms == ("transfers",)


def test_an_undated_document_says_so_and_when_it_was_found(corpus: Corpus) -> None:
    corpus.add(
        "cnil-pdf",
        source="cnil",
        title="Guide des transferts (PDF)",
        text="Transferts de données vers des pays tiers.",
        topics=[("cross_border_transfers", ["Transferts de données"])],
        countries=["FR"],
        flagged_at=NOW - timedelta(hours=1),
    )
    found = datetime(2024, 5, 13, 22, 30, tzinfo=UTC)  # 14 May in Brussels, 13 May in UTC
    with corpus.repository.sessions.begin() as session:
        session.execute(update(Article).values(published_at=None, fetched_at=found))
    with corpus.repository.sessions() as session:
        entries = select_entries(session, since=None, until=NOW).entries
    assert entries[0].date is None and entries[0].found_at == found
    rendered = render(DigestView("Digest", None, NOW, "Europe/Brussels", entries))
    assert "undated, found on 14 May 2024" in rendered.text
    assert "undated, found on 14 May 2024" in rendered.html
    assert "| 14 May 2024" not in rendered.text


def test_the_mail_date_header_is_in_the_digests_timezone() -> None:
    """monitor.yaml's timezone is the reader's clock: the Date header must not say +0000."""
    from email.utils import parsedate_to_datetime

    from monitor.digest.message import build_message

    sent = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    message = build_message(
        sender="news-monitor <monitor@example.org>",
        to_email="desk@example.org",
        to_name="Desk",
        subject="Digest",
        text="t",
        html="<p>t</p>",
        message_id="<1@example.org>",
        date=sent,
        timezone="Europe/Brussels",
    )
    assert message["Date"].endswith("+0200")
    assert parsedate_to_datetime(message["Date"]) == sent
