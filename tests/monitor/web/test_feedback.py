"""Feedback that changes the product: judgements leave the list, the digest and the feed; mutes stop
flagging at once and in ``monitor rematch``; the rule report counts what analysts said."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.storage.models import Article, Judgement
from tests.helpers import REPO_ROOT
from tests.monitor.web.conftest import Browser
from tests.monitor.web.seed import Seeded
from tests.monitor.web.test_pages import listed


def _digest_ids(session: Session) -> set[int]:
    from monitor.digest.select import select_entries

    selection = select_entries(session, since=None, until=datetime(2100, 1, 1, tzinfo=UTC))
    return {article_id for entry in selection.entries for article_id in entry.article_ids}


def _feed_urls(session: Session) -> list[str]:
    from monitor.digest.stories import stories_for
    from monitor.export.atom import ATOM_NS, build_feed
    from monitor.storage.queries import ItemFilter, item_query

    articles = list(session.scalars(item_query(ItemFilter(flagged=True))))
    tree = build_feed(stories_for(session, articles, {"dpa": "regulator", "bfdi": "regulator"}), {})
    return [e.text or "" for e in tree.getroot().iter(f"{{{ATOM_NS}}}id")][1:]


def test_not_relevant_leaves_the_list_the_digest_and_the_feed(analyst: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    ids = seeded.ids
    with app.state.web.session() as session:
        assert ids["de"] in _digest_ids(session)
        assert "https://bfdi.example/de" in _feed_urls(session)
    response = analyst.post(f"/items/{ids['de']}/judge", {"verdict": "not_relevant", "reason": "domestic only"})
    assert response.status_code == 303
    assert ids["de"] not in listed(analyst.get("/items").text)
    shown = analyst.get("/items?hidden=1").text
    assert ids["de"] in listed(shown) and "judged-out" in shown
    item = analyst.get(f"/items/{ids['de']}").text
    assert "not relevant</span> by ana" in item and "domestic only" in item
    with app.state.web.session() as session:
        row = session.get(Judgement, ids["de"])
        assert row is not None and row.username == "ana" and row.topics == ["cross_border_transfers"]
        assert row.rules == ["cross_border_transfers:de:20", "cross_border_transfers:de:6"]
        assert ids["de"] not in _digest_ids(session)
        assert "https://bfdi.example/de" not in _feed_urls(session)
        assert ids["en"] in _digest_ids(session)
    # Relevant brings it back; clearing removes the verdict.
    analyst.post(f"/items/{ids['de']}/judge", {"verdict": "relevant"})
    assert ids["de"] in listed(analyst.get("/items").text)
    analyst.post(f"/items/{ids['de']}/judge", {"verdict": "clear"})
    with app.state.web.session() as session:
        assert session.get(Judgement, ids["de"]) is None


def test_judging_an_original_not_relevant_takes_its_copies_with_it(analyst: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    ids = seeded.ids
    analyst.post(f"/items/{ids['en']}/judge", {"verdict": "not_relevant"})
    assert not {ids["en"], ids["copy"]} & set(listed(analyst.get("/items").text))
    with app.state.web.session() as session:
        assert not {ids["en"], ids["copy"]} & _digest_ids(session)
        assert not {"https://dpa.example/en", "https://daily.example/copy"} & set(_feed_urls(session))


def test_a_back_link_keeps_the_filtered_list(analyst: Browser, seeded: Seeded) -> None:
    back = "/items?topic=cross_border_transfers&country=DE"
    response = analyst.post(f"/items/{seeded.ids['de']}/judge", {"verdict": "not_relevant", "back": back})
    assert response.headers["location"] == back
    evil = analyst.post(f"/items/{seeded.ids['de']}/judge", {"verdict": "relevant", "back": "https://evil.example/"})
    assert evil.headers["location"] == f"/items/{seeded.ids['de']}"


def test_muting_a_source_for_a_topic_unflags_at_once_and_lifting_restores(
    analyst: Browser, seeded: Seeded, app
) -> None:  # type: ignore[no-untyped-def]
    ids = seeded.ids
    response = analyst.post(f"/items/{ids['de']}/mute", {"kind": "source", "topic": "cross_border_transfers"})
    assert response.status_code == 303
    with app.state.web.session() as session:
        article = session.get(Article, ids["de"])
        assert article is not None and not article.flagged and article.topics == []
        assert ids["de"] not in _digest_ids(session)
    assert ids["de"] not in listed(analyst.get("/items").text)
    mutes = analyst.get("/mutes").text
    assert "Bundesdatenschutz" in mutes and "by" in mutes and "ana" in mutes
    mute_id = re.search(r'name="mute" value="(\d+)"', mutes)
    assert mute_id
    lifted = analyst.post("/mutes/lift", {"mute": mute_id.group(1)})
    assert lifted.status_code == 303
    assert "flagged+again" in lifted.headers["location"] or "flagged%20again" in lifted.headers["location"]
    with app.state.web.session() as session:
        article = session.get(Article, ids["de"])
        assert article is not None and article.flagged  # the real matcher flags the German text again


def test_muting_a_term_drops_the_evidence_and_a_topic_left_without_any(analyst: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    ids = seeded.ids
    analyst.post(f"/items/{ids['en']}/mute", {"kind": "term", "term": "Standard Contractual Clauses", "topic": ""})
    with app.state.web.session() as session:
        article = session.get(Article, ids["en"])
        assert article is not None and article.flagged
        assert [t.topic for t in article.topics] == ["cross_border_transfers"]  # the SCC topic had no other evidence
    analyst.post(f"/items/{ids['en']}/mute", {"kind": "term", "term": "transfers of personal data", "topic": ""})
    with app.state.web.session() as session:
        assert not session.get(Article, ids["en"]).flagged  # type: ignore[union-attr]
        copy = session.get(Article, ids["copy"])
        assert copy is not None and not copy.flagged  # the same term on the copy


def test_a_mute_keeps_a_crawled_item_out_of_the_digest_and_rematch_honours_it(
    analyst: Browser, seeded: Seeded, app, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    from monitor.matching import Matcher
    from monitor.rematch import rematch
    from monitor.storage import repository_for
    from tests.monitor.web.seed import DE_TEXT, articles, topic

    ids = seeded.ids
    analyst.post(f"/items/{ids['de']}/mute", {"kind": "source", "topic": "cross_border_transfers"})
    # A crawl after the mute stores a new article from the muted source, flagged by the pipeline.
    from dataclasses import replace

    later = replace(
        articles()["de"],
        canonical_url="https://bfdi.example/later",
        url="https://bfdi.example/later",
        content_hash="later",
        topics=[topic("cross_border_transfers", 0.8, DE_TEXT, ("cross_border_transfers:de:20", "Drittländer"))],
    )
    repository = repository_for(database_url)
    repository.upsert_article(later)
    with app.state.web.session() as session:
        later_id = session.scalar(select(Article.id).where(Article.canonical_url == "https://bfdi.example/later"))
        assert later_id not in _digest_ids(session)  # read side: silenced although stored flagged
        assert "https://bfdi.example/later" not in _feed_urls(session)
    assert later_id not in listed(analyst.get("/items").text)
    report = rematch(repository.sessions, Matcher.from_file(REPO_ROOT / "config" / "watchlists.yaml"))
    changed = {row[0] for row in report.unflagged} | {row[0] for row in report.topics_changed}
    assert later_id in changed
    with app.state.web.session() as session:
        for article_id in (ids["de"], later_id):
            article = session.get(Article, article_id)
            assert article is not None and "cross_border_transfers" not in {t.topic for t in article.topics}


def test_items_jsonl_exports_the_judgement(analyst: Browser, seeded: Seeded, database_url: str) -> None:
    import json

    from typer.testing import CliRunner

    from monitor.cli import _register
    from monitor.cli.app import app as cli

    analyst.post(f"/items/{seeded.ids['zh']}/judge", {"verdict": "relevant", "reason": "new CAC rule"})
    _register()
    result = CliRunner().invoke(
        cli, ["--config", str(seeded.config_dir), "--db", database_url, "items", "--flagged", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = {row["url"]: row for row in map(json.loads, result.stdout.splitlines())}
    judged = rows["https://cac.example/zh"]["judgement"]
    assert judged["verdict"] == "relevant" and judged["by"] == "ana" and judged["reason"] == "new CAC rule"
    assert rows["https://dpa.example/en"]["judgement"] is None
