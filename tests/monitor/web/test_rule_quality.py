"""The rule report (the "Rule quality" page and ``monitor rules report``) against hand-counted judgements."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from typer.testing import CliRunner

from monitor.storage.feedback import quality_report
from monitor.storage.models import Judgement
from tests.monitor.web.conftest import Browser
from tests.monitor.web.seed import Seeded

VERDICTS = {"en": "not_relevant", "copy": "relevant", "de": "relevant", "zh": "not_relevant", "sov": "relevant"}


def _judge_all(analyst: Browser, seeded: Seeded) -> None:
    for key, verdict in VERDICTS.items():
        assert analyst.post(f"/items/{seeded.ids[key]}/judge", {"verdict": verdict}).status_code == 303


def test_precision_per_topic_and_rule_and_the_worst_rules(analyst: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    _judge_all(analyst, seeded)
    with app.state.web.session() as session:
        report = quality_report(session)
    topics = {row.name: (row.flags, row.judged, row.relevant, row.not_relevant, row.precision) for row in report.topics}
    # Hand count: cross-border transfers flagged en, copy, de, zh; judged relevant copy and de.
    assert topics == {
        "cross_border_transfers": (4, 4, 2, 2, 0.5),
        "standard_contractual_clauses": (1, 1, 0, 1, 0.0),
        "data_sovereignty": (1, 1, 1, 0, 1.0),
    }
    rules = {row.name: (row.flags, row.judged, row.relevant, row.precision) for row in report.rules}
    assert rules["cross_border_transfers:en:5"] == (2, 2, 1, 0.5)  # the original (not relevant) and its copy
    assert rules["cross_border_transfers:de:20"] == (1, 1, 1, 1.0)
    assert rules["cross_border_transfers:zh:0"] == (1, 1, 0, 0.0)
    assert [row.name for row in report.worst_rules] == [
        "cross_border_transfers:zh:0",
        "standard_contractual_clauses:en:0",
        "cross_border_transfers:en:5",
    ]
    page = analyst.get("/quality?window=all").text
    row = re.search(r"<tr><td>Cross-border data transfers</td>(.*?)</tr>", page)
    assert row and re.findall(r"<td>([^<]*)</td>", row.group(1)) == ["4", "4", "2", "2", "50%"]


def test_the_window_counts_only_judgements_made_in_it(analyst: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    _judge_all(analyst, seeded)
    old = datetime.now(UTC) - timedelta(days=60)
    with app.state.web.transaction() as session:
        session.execute(update(Judgement).where(Judgement.article_id == seeded.ids["zh"]).values(judged_at=old))
    with app.state.web.session() as session:
        recent = quality_report(session, since=datetime.now(UTC) - timedelta(days=30))
    cross = next(row for row in recent.topics if row.name == "cross_border_transfers")
    assert (cross.judged, cross.relevant, cross.not_relevant) == (3, 2, 1)
    assert "cross_border_transfers:zh:0" not in {row.name for row in recent.worst_rules}
    page = analyst.get("/quality?window=30d").text
    worst = page[page.index("Rules firing most") : page.index("<h2>Per topic")]
    assert "standard_contractual_clauses:en:0" in worst and "cross_border_transfers:zh:0" not in worst


def test_rules_report_on_the_command_line(analyst: Browser, seeded: Seeded, database_url: str) -> None:
    from monitor.cli import _register
    from monitor.cli.app import app as cli

    _judge_all(analyst, seeded)
    _register()
    base = ["--config", str(seeded.config_dir), "--db", database_url, "rules", "report", "--since", "7d"]
    result = CliRunner().invoke(cli, [*base, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    cross = next(row for row in document["topics"] if row["name"] == "cross_border_transfers")
    assert cross == {"name": "cross_border_transfers", "flags": 4, "judged": 4, "relevant": 2, "not_relevant": 2,
                     "precision": 0.5}  # fmt: skip
    assert document["worst_rules"][0]["name"] == "cross_border_transfers:zh:0"
    table = CliRunner().invoke(cli, base)
    assert table.exit_code == 0
    assert "cross_border_transfers:zh:0: 1 of 1 judged not relevant" in table.stdout
    assert re.search(r"cross_border_transfers\s+4\s+4\s+2\s+2\s+50%", table.stdout)
