"""The digest corpus and SMTP server fixtures, plus a loopback HTTP receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.monitor.delivery.receiver import Receiver
from tests.monitor.digest.conftest import corpus, mail_server  # noqa: F401 - fixtures shared with the digest tests


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()
