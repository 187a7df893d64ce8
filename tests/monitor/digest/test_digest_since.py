"""``monitor digest --since``: the ages and dates the README documents, in every mode that shows items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.cli.digest_commands import since_in_zone
from monitor.errors import UsageError
from tests.monitor.cli.test_options import run_main
from tests.monitor.digest.digest_helpers import Corpus, MailServer, standard_corpus
from tests.monitor.digest.test_digest_cli import config_dir, digest_rows, invoke


def _old_item(corpus: Corpus) -> None:
    corpus.add(
        "old-news",
        source="cnil",
        title="Transferts : un avis de l'an dernier",
        text="Transferts de données vers des pays tiers.",
        topics=[("cross_border_transfers", ["transferts de données"])],
        countries=["FR"],
        flagged_at=datetime.now(UTC) - timedelta(days=10),
    )


def test_since_alone_prints_the_preview_of_that_window(corpus: Corpus, mail_server: MailServer, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    _old_item(corpus)
    config = str(config_dir(tmp_path, mail_server.port))
    week = invoke("--config", config, "--db", corpus.url, "digest", "--since", "7d")
    assert week.exit_code == 0, week.output
    assert "4 new items" in week.output and "un avis de l'an dernier" not in week.output
    fortnight = invoke("--config", config, "--db", corpus.url, "digest", "--since", "2w")
    assert "5 new items" in fortnight.output and "un avis de l'an dernier" in fortnight.output
    assert digest_rows(corpus) == 0 and not mail_server.handler.received


def test_dry_run_since_shows_that_window(corpus: Corpus, mail_server: MailServer, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    _old_item(corpus)
    config = str(config_dir(tmp_path, mail_server.port))
    result = invoke("--config", config, "--db", corpus.url, "digest", "--dry-run", "--since", "14d")
    assert result.exit_code == 0, result.output
    assert "analyst@example.org: 5 items" in result.output
    recent = invoke("--config", config, "--db", corpus.url, "digest", "--dry-run", "--since", "24h")
    assert "analyst@example.org: 4 items" in recent.output
    assert digest_rows(corpus) == 0


def test_bad_since_and_since_with_send_are_one_clear_line(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(config_dir(tmp_path, 25))
    for args, needle in (
        (["--since", "7 days"], "--since '7 days'"),
        (["--since", "6m"], "months or minutes?"),
        (["--send", "--since", "7d"], "--send starts where each recipient's last digest ended"),
    ):
        code, err = run_main(monkeypatch, capsys, "--config", config, "--db", corpus.url, "digest", *args)
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, (args, err)
    assert digest_rows(corpus) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", datetime(2024, 4, 30, 22, 0, tzinfo=UTC)),  # midnight in Brussels (CEST)
        ("2024-01-15T07:00", datetime(2024, 1, 15, 6, 0, tzinfo=UTC)),  # CET
        ("2024-05-01T00:00+00:00", datetime(2024, 5, 1, tzinfo=UTC)),  # an explicit offset wins
    ],
)
def test_a_date_without_offset_is_in_the_digest_timezone(value: str, expected: datetime) -> None:
    assert since_in_zone(value, "Europe/Brussels") == expected


def test_ages_count_back_from_now() -> None:
    before = datetime.now(UTC)
    for value, age in (("7d", timedelta(days=7)), ("24h", timedelta(hours=24)), ("2w", timedelta(weeks=2))):
        when = since_in_zone(value, "Asia/Tokyo")
        assert when is not None and abs((before - age) - when) < timedelta(minutes=5)
    assert since_in_zone(None, "UTC") is None
    with pytest.raises(UsageError):
        since_in_zone("last week", "UTC")
