"""Safety, snippets, grouping, templates and message headers of the digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from monitor.digest.message import build_message
from monitor.digest.render import DigestView, render
from monitor.digest.safety import header_value, plain, safe_url
from monitor.digest.select import select_entries
from monitor.digest.snippets import Segment, snippet
from tests.monitor.digest.digest_helpers import NOW, Corpus, standard_corpus


def test_plain_keeps_what_looks_like_markup_literally() -> None:
    # Escaped by the HTML template, never deleted: the text says what it said.
    assert plain("<p>Hello <b>CNIL</b></p><script>alert(1)</script> &amp; co") == (
        "<p>Hello <b>CNIL</b></p><script>alert(1)</script> &amp; co"
    )
    assert plain("not_a_feed: <unknown>:1:0: syntax error") == "not_a_feed: <unknown>:1:0: syntax error"
    assert plain("a < b and\n\tc > d") == "a < b and c > d"


def test_plain_drops_controls_and_bidi_overrides_but_keeps_joiners() -> None:
    assert plain("CNIL\x1b[2J\x07 fines \u202eexe.fdp\u202c \u2066x\u2069 firm\x9b") == "CNIL[2J fines exe.fdp x firm"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a Persian word
    hebrew = "\u05d7\u05d5\u05e7 \u200f(2024)\u200f"  # RLM marks around a number
    assert plain(persian) == persian and plain(hebrew) == hebrew
    assert (
        plain("family \U0001f468\u200d\U0001f469\u200d\U0001f467")
        == "family \U0001f468\u200d\U0001f469\u200d\U0001f467"
    )


def test_safe_url_accepts_only_http_and_https() -> None:
    assert safe_url("https://www.cnil.fr/fr/transferts") == "https://www.cnil.fr/fr/transferts"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.org/",
        "https://a b.org/",
        "/relative",
        "https://x.org/\nX-Injected: 1",
        "JaVaScRiPt:alert(1)",
        "https://www.cnil.fr/\u202efdp.exe",
        "https://host:1:80/x",
    ):
        assert safe_url(bad) is None, bad


def test_header_value_collapses_newlines() -> None:
    assert header_value("Title\r\nBcc: victim@example.org\n\tmore") == "Title Bcc: victim@example.org more"


def test_snippet_marks_evidence_spans_in_context() -> None:
    text = "Intro sentence. " * 30 + "The CAC eased cross-border data transfers for small exporters. " + "Tail. " * 40
    start = text.index("cross-border")
    segments = snippet(
        text,
        [
            {"field": "text", "start": start, "end": start + len("cross-border data transfers")},
            {"field": "title", "start": 0, "end": 3},
        ],
    )
    assert segments[0] == Segment("… ") and segments[-1] == Segment(" …")
    assert [s.text for s in segments if s.hit] == ["cross-border data transfers"]
    assert sum(len(s.text) for s in segments) <= 270


def test_snippet_falls_back_to_terms_and_handles_cjk() -> None:
    segments = snippet("国家互联网信息办公室发布《促进和规范数据跨境流动规定》。", terms=["数据跨境"])
    assert [s.text for s in segments if s.hit] == ["数据跨境"]
    assert snippet("", terms=["x"]) == []


def test_entries_fold_syndicated_copies_and_group_by_topic_then_jurisdiction(corpus: Corpus) -> None:
    standard_corpus(corpus, NOW - timedelta(hours=6))
    with corpus.repository.sessions() as session:
        selection = select_entries(session, since=NOW - timedelta(days=1), until=NOW)
    view = DigestView("Digest", NOW - timedelta(days=1), NOW, "Europe/Brussels", selection.entries)
    groups = view.groups
    assert [(g.topic, g.count) for g in groups] == [("cross_border_transfers", 3), ("cloud_sovereignty", 1)]
    assert [j.code for j in groups[0].jurisdictions] == ["CN", "EU", "FR"]
    cac = groups[0].jurisdictions[0].entries[0]
    assert [c.source for c in cac.also] == ["Reuters"] and len(cac.article_ids) == 2
    assert view.topic_counts == {"cross_border_transfers": 3, "cloud_sovereignty": 1}


def test_scraped_markup_is_escaped_and_bad_links_dropped(corpus: Corpus) -> None:
    corpus.add(
        "evil",
        source="reuters",
        title='<img src=x onerror=alert(1)>Data "transfers" & <b>you</b>',
        text="<script>steal()</script>Cross-border transfers <iframe src='https://evil'></iframe> rules.",
        topics=[("cross_border_transfers", ["transfers"])],
        countries=["US"],
        flagged_at=NOW - timedelta(hours=1),
        url="javascript:alert(document.cookie)",
    )
    with corpus.repository.sessions() as session:
        entries = select_entries(session, since=None, until=NOW).entries
    rendered = render(DigestView("A <b>title</b>", None, NOW, "UTC", entries))
    for needle in ("<img", "<script", "<iframe", "javascript:", "<b>"):
        assert needle not in rendered.html, needle
    # Escaped once, not deleted: the reader sees exactly the characters that were scraped.
    assert "&lt;img src=x onerror=alert(1)&gt;Data &#34;transfers&#34; &amp; &lt;b&gt;you&lt;/b&gt;" in rendered.html
    assert "&lt;script&gt;steal()&lt;/script&gt;Cross-border" in rendered.html
    assert '<img src=x onerror=alert(1)>Data "transfers" & <b>you</b>' in rendered.text
    assert "https://reuters.example.org/news/evil" in rendered.text  # the canonical URL replaces the bad one


def test_message_is_multipart_and_headers_cannot_be_injected() -> None:
    when = datetime(2024, 5, 14, 5, 0, tzinfo=UTC)
    message = build_message(
        sender="news-monitor <monitor@example.org>",
        to_email="analyst@example.org",
        to_name="Policy\r\nBcc: x@y.z",
        subject="Digest: Title\r\nBcc: victim@example.org",
        text="plain",
        html="<p>html</p>",
        message_id="<abc.digest@example.org>",
        date=when,
    )
    parsed = message_from_bytes(bytes(message), policy=policy.default)
    assert parsed.get_all("Bcc") is None
    assert parsed["Subject"] == "Digest: Title Bcc: victim@example.org"
    assert parsed["Message-ID"] == "<abc.digest@example.org>"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Auto-Submitted"] == "auto-generated"
