"""``monitor users`` and ``monitor serve`` on the command line."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import _register
from monitor.cli.app import app as cli
from monitor.errors import UsageError
from tests.helpers import REPO_ROOT
from tests.helpers.cli import monitor_command, wait_until
from tests.helpers.config import write_config


def _run(config: Path, url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    _register()
    return CliRunner().invoke(cli, ["--config", str(config), "--db", url, *args], input=stdin)


def test_users_add_list_passwd_remove(database_url: str, tmp_path: Path) -> None:
    from monitor.storage import repository_for
    from monitor.storage.users import authenticate

    config = write_config(tmp_path / "config", [])
    added = _run(
        config, database_url, "users", "add", "ana", "--role", "analyst", stdin="a long password\na long password\n"
    )
    assert added.exit_code == 0, added.output
    assert "a long password" not in added.output
    assert _run(config, database_url, "users", "add", "vic", "--role", "viewer", "--password-stdin",
                stdin="viewer password\n").exit_code == 0  # fmt: skip
    listing = _run(config, database_url, "users", "list")
    assert [line.split("\t")[:2] for line in listing.stdout.splitlines()] == [["ana", "analyst"], ["vic", "viewer"]]
    sessions = repository_for(database_url).sessions
    with sessions() as session:
        stored = session.execute(__import__("sqlalchemy").text("SELECT password_hash FROM users")).scalars().all()
        assert all(h.startswith("$argon2id$") and "password" not in h for h in stored)
        assert authenticate(session, "ana", "a long password") is not None
    duplicate = _run(config, database_url, "users", "add", "ana", "--password-stdin", stdin="a long password\n")
    assert isinstance(duplicate.exception, UsageError) and "exists already" in str(duplicate.exception)
    short = _run(config, database_url, "users", "add", "bob", "--password-stdin", stdin="short\n")
    assert isinstance(short.exception, UsageError) and "at least 10 characters" in str(short.exception)
    bad_role = _run(config, database_url, "users", "add", "bob", "--role", "admin", "--password-stdin", stdin="x" * 12)
    assert isinstance(bad_role.exception, UsageError)
    assert (
        _run(config, database_url, "users", "passwd", "ana", "--password-stdin", stdin="another password\n").exit_code
        == 0
    )
    with sessions() as session:
        assert authenticate(session, "ana", "a long password") is None
        assert authenticate(session, "ana", "another password") is not None
    assert _run(config, database_url, "users", "remove", "vic").exit_code == 0
    assert isinstance(_run(config, database_url, "users", "remove", "vic").exception, UsageError)
    assert "vic" not in _run(config, database_url, "users", "list").stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_monitor_serve_answers_on_loopback_and_keeps_pages_behind_the_login(sqlite_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "config", [])
    port = _free_port()
    command = monitor_command(config, sqlite_url, "serve", "--port", str(port))
    started = time.monotonic()
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as server:
        try:

            def healthy() -> bool:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                        return answer.read() == b"ok"
                except OSError:
                    assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                    return False

            wait_until(healthy, timeout=60, what="monitor serve to answer /healthz")
            print(f"monitor serve answered after {time.monotonic() - started:.2f} s")  # noqa: T201
            request = urllib.request.Request(f"http://127.0.0.1:{port}/items")
            opener = urllib.request.build_opener(_NoRedirect)
            with pytest.raises(urllib.error.HTTPError) as refused:
                opener.open(request, timeout=5)
            refused.value.close()  # the error holds the response's socket
            assert refused.value.code == 303 and refused.value.headers["location"].startswith("/login")
        finally:
            server.terminate()
            server.wait(30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
