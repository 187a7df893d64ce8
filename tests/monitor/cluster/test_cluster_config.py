"""The ``cluster:`` block: defaults that keep Redis from redelivering a live job, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cluster.celery_app import broker_url, celery_config
from monitor.config.schema import ClusterSettings
from monitor.errors import ConfigError, UsageError


def test_the_default_visibility_timeout_outlasts_every_attempt_of_a_job() -> None:
    settings = ClusterSettings(job_timeout=600, term_grace=30, retry_delay=10, max_attempts=2)
    options = celery_config(settings)
    transport = options["broker_transport_options"]
    assert isinstance(transport, dict)
    longest_task = settings.max_attempts * (600 + 30 + 10)
    assert transport["visibility_timeout"] > longest_task
    assert options["task_time_limit"] > longest_task  # a backstop behind the task's own timeout
    assert (
        options["task_acks_late"],
        options["task_reject_on_worker_lost"],
        options["worker_prefetch_multiplier"],
    ) == (
        True,
        True,
        1,
    )


def test_a_visibility_timeout_shorter_than_a_job_is_refused() -> None:
    with pytest.raises(ValueError, match="visibility_timeout must exceed"):
        ClusterSettings(job_timeout=600, term_grace=30, visibility_timeout=600)


def test_the_broker_url_comes_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ClusterSettings(broker_url_env="TEST_BROKER")
    monkeypatch.delenv("TEST_BROKER", raising=False)
    with pytest.raises(ConfigError, match="set TEST_BROKER"):
        broker_url(settings)
    monkeypatch.setenv("TEST_BROKER", "redis://127.0.0.1:6390/0")
    assert broker_url(settings) == "redis://127.0.0.1:6390/0"


@pytest.mark.parametrize("args", [["dispatch"], ["worker"], ["run", "--job", "1"]])
def test_cluster_commands_need_postgresql(tmp_path: Path, args: list[str]) -> None:
    from typer.testing import CliRunner

    from monitor.cli import _register
    from monitor.cli.app import app
    from monitor.storage import dispose_all
    from tests.helpers.config import write_config

    config = write_config(
        tmp_path / "config",
        [{"id": "a", "name": "A", "kind": "regulator", "jurisdiction": "FR", "feeds": ["https://a.example/feed"]}],
    )
    _register()
    result = CliRunner().invoke(app, ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'm.db'}", *args])
    dispose_all()
    # In-process, the error reaches the caller; `monitor` itself maps it to exit code 2.
    assert isinstance(result.exception, UsageError), result.output
    assert "PostgreSQL" in str(result.exception)
    assert not (tmp_path / "m.db").exists()  # refused before the database was opened


def test_a_job_crawls_with_one_extraction_process_unless_told_otherwise() -> None:
    assert ClusterSettings().extract_workers == 1
    assert ClusterSettings(extract_workers=0).extract_workers == 0
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        ClusterSettings(extract_workers=-1)
