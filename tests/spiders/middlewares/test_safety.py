"""The private-address refusal, built through Scrapy's real factory."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from spiders.middlewares.safety import PrivateAddressMiddleware, is_internal


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("0.0.0.0", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("fd00::1", True),
        ("224.0.0.1", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_is_internal(address: str, internal: bool) -> None:
    assert is_internal(address) is internal


def run(coro):  # noqa: ANN001, ANN201 - tiny helper
    return asyncio.run(coro)


def middleware(**settings: object) -> PrivateAddressMiddleware:
    crawler = get_crawler(settings_dict=settings)
    return PrivateAddressMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/", "http://localhost/", "http://[::1]/", "http://2130706433/", "http://0x7f.1/"],
)
def test_refuses_loopback_however_spelled(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    mw = middleware()
    # Resolve in the calling thread: these tests run without a reactor.
    monkeypatch.setattr("spiders.middlewares.safety.deferToThread", _inline)
    monkeypatch.setattr("spiders.middlewares.safety.maybe_deferred_to_future", _identity)
    with pytest.raises(IgnoreRequest, match="loopback or private"):
        run(mw.process_request(Request(url)))


def test_allowed_when_configured_or_exempt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("spiders.middlewares.safety.deferToThread", _inline)
    monkeypatch.setattr("spiders.middlewares.safety.maybe_deferred_to_future", _identity)
    assert run(middleware(MONITOR_ALLOW_PRIVATE=True).process_request(Request("http://127.0.0.1/"))) is None
    exempt = middleware(MONITOR_ALLOWED_HOSTS=["127.0.0.1:8080"])
    assert run(exempt.process_request(Request("http://127.0.0.1:8080/x"))) is None
    with pytest.raises(IgnoreRequest):
        run(exempt.process_request(Request("http://127.0.0.1:8081/x")))


async def _identity(value):  # noqa: ANN001, ANN202
    return value


def _inline(function, *args):  # noqa: ANN001, ANN202
    return function(*args)
