"""``monitor digest`` and ``monitor schedule --list`` through the real CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitor.cli import _register
from monitor.cli.app import app
from monitor.storage.lock import run_lock
from monitor.storage.models import Digest
from tests.helpers.paths import CONFIG_DIR
from tests.monitor.digest.digest_helpers import Corpus, MailServer, standard_corpus

SOURCES = {
    "sources": [
        {"id": "cnil", "name": "CNIL", "kind": "regulator", "jurisdiction": "FR", "feeds": ["https://www.cnil.fr/rss"]}
    ]
}


def config_dir(tmp_path: Path, port: int) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    settings = {
        # The subscriptions' topics and codes are checked against the watchlist at load.
        "watchlists": str(CONFIG_DIR / "watchlists.yaml"),
        "schedules": [{"name": "all", "cron": "15 */3 * * *", "timezone": "Europe/Brussels"}],
        "digest": {
            "schedule": {"cron": "0 7 * * *", "timezone": "Europe/Brussels"},
            "recipients": [
                {"email": "analyst@example.org", "name": "Policy team"},
                {"email": "china-desk@example.org", "topics": ["cross_border_transfers"], "countries": ["CN"]},
            ],
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "sender": "monitor@example.org"},
        },
    }
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (directory / "sources.yaml").write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    return directory


def invoke(*args: str) -> object:
    _register()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def digest_rows(corpus: Corpus) -> int:
    with corpus.repository.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Digest)) or 0)


def test_out_writes_preview_and_one_eml_per_recipient_without_recording(
    corpus: Corpus, mail_server: MailServer, tmp_path: Path
) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    config = config_dir(tmp_path, mail_server.port)
    out = tmp_path / "out"
    result = invoke("--config", str(config), "--db", corpus.url, "digest", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "analyst@example.org.eml",
        "china-desk@example.org.eml",
        "digest.html",
        "digest.txt",
    ]
    assert "4 items" in result.output and "1 items for china-desk@example.org" in result.output
    assert digest_rows(corpus) == 0 and not mail_server.handler.received


def test_dry_run_shows_who_gets_what_then_send_sends_once(
    corpus: Corpus, mail_server: MailServer, tmp_path: Path
) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    config = config_dir(tmp_path, mail_server.port)
    dry = invoke("--config", str(config), "--db", corpus.url, "digest", "--dry-run")
    assert dry.exit_code == 0
    assert "analyst@example.org: 4 items" in dry.output and "china-desk@example.org: 1 items" in dry.output
    assert digest_rows(corpus) == 0

    sent = invoke("--config", str(config), "--db", corpus.url, "digest", "--send")
    assert sent.exit_code == 0, sent.output
    assert sent.output.count(": sent,") == 2 and len(mail_server.handler.received) == 2
    again = invoke("--config", str(config), "--db", corpus.url, "digest", "--send")
    assert again.output.count(": skipped,") == 2 and len(mail_server.handler.received) == 2


def test_send_refuses_to_overlap_another_sender(corpus: Corpus, mail_server: MailServer, tmp_path: Path) -> None:
    config = config_dir(tmp_path, mail_server.port)
    with run_lock(corpus.repository.engine, name="digest"):
        _register()
        result = CliRunner().invoke(app, ["--config", str(config), "--db", corpus.url, "digest", "--send"])
    assert result.exit_code != 0 and "already running" in str(result.exception)
    assert digest_rows(corpus) == 0


def test_send_with_pending_mail_exits_3(corpus: Corpus, mail_server: MailServer, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    mail_server.handler.script = ["451 4.7.1 greylisted", "451 4.7.1 greylisted"]
    result = invoke("--config", str(config_dir(tmp_path, mail_server.port)), "--db", corpus.url, "digest", "--send")
    assert result.exit_code == 3 and result.output.count(": pending,") == 2


def test_schedule_list_prints_jobs_and_next_runs(tmp_path: Path) -> None:
    result = invoke(
        "--config", str(config_dir(tmp_path, 25)), "--db", f"sqlite:///{tmp_path}/s.db", "schedule", "--list"
    )
    assert result.exit_code == 0, result.output
    names = [line.split("\t")[0] for line in result.output.splitlines()]
    assert names == ["crawl:all", "digest", "digest-retry"]
    assert "next 20" in result.output


def test_out_since_takes_an_age_as_the_readme_says(corpus: Corpus, mail_server: MailServer, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    corpus.add(
        "old-news",
        source="cnil",
        title="Transferts : un avis de l'an dernier",
        text="Transferts de données vers des pays tiers.",
        topics=[("cross_border_transfers", ["transferts de données"])],
        countries=["FR"],
        flagged_at=datetime.now(UTC) - timedelta(days=10),
    )
    config = str(config_dir(tmp_path, mail_server.port))
    everything = invoke("--config", config, "--db", corpus.url, "digest", "--out", str(tmp_path / "all"))
    recent = invoke("--config", config, "--db", corpus.url, "digest", "--out", str(tmp_path / "week"), "--since", "7d")
    assert everything.exit_code == 0 and recent.exit_code == 0, recent.output
    assert "digest.html (5 items" in everything.output
    assert "digest.html (4 items" in recent.output


def _eml_text(path: Path) -> str:
    import email
    from email.policy import default

    message = email.message_from_bytes(path.read_bytes(), policy=default)
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("digest_zone", "shown"),
    [
        (None, "Asia/Tokyo"),  # the digest schedule names no zone: the top-level one
        ("Europe/Brussels", "Europe/Brussels"),
    ],
)
def test_preview_and_email_show_dates_in_one_zone(
    corpus: Corpus, tmp_path: Path, digest_zone: str | None, shown: str
) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=3))
    directory = tmp_path / "config"
    directory.mkdir()
    schedule = {"cron": "0 7 * * *", **({"timezone": digest_zone} if digest_zone else {})}
    settings = {"timezone": "Asia/Tokyo", "digest": {"schedule": schedule, "recipients": [{"email": "a@example.org"}]}}
    (directory / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (directory / "sources.yaml").write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("--config", str(directory), "--db", corpus.url, "digest", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"({shown})" in (out / "digest.txt").read_text(encoding="utf-8")
    assert f"({shown})" in (out / "digest.html").read_text(encoding="utf-8")
    assert f"({shown})" in _eml_text(out / "a@example.org.eml")
