"""Fixtures of the digest tests; the builders live in ``digest_helpers``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.storage import repository_for
from tests.monitor.digest.digest_helpers import SOURCES, Corpus, MailServer, ScriptedHandler, free_port


@pytest.fixture
def corpus(sqlite_url: str) -> Corpus:
    repository = repository_for(sqlite_url)
    for source_id, (name, kind, jurisdiction, language) in SOURCES.items():
        repository.ensure_source(source_id, name, kind, jurisdiction, language)
    return Corpus(repository, sqlite_url)


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer("127.0.0.1", free_port(), ScriptedHandler())
    server.start()
    yield server
    server.stop()
