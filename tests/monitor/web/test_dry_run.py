"""'Try a rule change' in the browser and ``monitor rematch --dry-run``: what would change, nothing written."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from monitor.storage.models import Article, TopicMatch
from tests.monitor.web.conftest import Browser
from tests.monitor.web.seed import Seeded


def _stored(app) -> set[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with app.state.web.session() as session:
        return {(row[0], row[1]) for row in session.execute(select(TopicMatch.article_id, TopicMatch.topic))}


def test_the_form_starts_from_the_topic_as_written(analyst: Browser) -> None:
    page = analyst.get("/watchlists/try?topic=data_sovereignty")
    assert page.status_code == 200
    assert "data_sovereignty:" in page.text and "label: Data and digital sovereignty" in page.text


def test_a_pasted_topic_shows_what_would_flag_and_unflag_and_writes_nothing(
    analyst: Browser, seeded: Seeded, app
) -> None:  # type: ignore[no-untyped-def]
    before = _stored(app)
    # data_sovereignty now only fires on "annual report": the strategy story would lose it, the report gain it.
    pasted = "data_sovereignty:\n  label: Data and digital sovereignty\n  terms:\n    en:\n      - annual report\n"
    page = analyst.post("/watchlists/try", {"topic": "data_sovereignty", "yaml": pasted})
    assert page.status_code == 200, page.text
    html = page.text
    newly = html[html.index("<h3>Newly flagged</h3>") :]
    assert "Annual report published" in newly.split("</ul>")[0]
    unflagged = html[html.index("<h3>No longer flagged</h3>") :]
    assert "Government adopts a data sovereignty strategy" in unflagged.split("</ul>")[0]
    assert _stored(app) == before
    with app.state.web.session() as session:
        quiet = session.get(Article, seeded.ids["quiet"])
        assert quiet is not None and not quiet.flagged


def test_a_broken_paste_is_explained(analyst: Browser) -> None:
    page = analyst.post("/watchlists/try", {"topic": "data_sovereignty", "yaml": "data_sovereignty:\n  terms: [oops"})
    assert page.status_code == 400 and "not YAML" in page.text
    page = analyst.post("/watchlists/try", {"topic": "x", "yaml": "x:\n  rules: ['a NEAR 8 b']\n"})
    assert page.status_code == 400


def test_rematch_dry_run_on_the_command_line_writes_nothing(seeded: Seeded, database_url: str, app) -> None:  # type: ignore[no-untyped-def]
    from monitor.cli import _register
    from monitor.cli.app import app as cli

    before = _stored(app)
    _register()
    result = CliRunner().invoke(cli, ["--config", str(seeded.config_dir), "--db", database_url, "rematch", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("dry run, nothing written: rematched 6 articles")
    assert _stored(app) == before
    wet = CliRunner().invoke(cli, ["--config", str(seeded.config_dir), "--db", database_url, "rematch"])
    assert wet.exit_code == 0
    assert _stored(app) != before  # the same run for real changes what the hand-made fixtures stored
