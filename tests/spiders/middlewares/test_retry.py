"""Backoff retries and Retry-After, built through Scrapy's real factory."""

from __future__ import annotations

import asyncio
import email.utils

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from spiders.middlewares.retry import BackoffRetryMiddleware, parse_retry_after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (b"0", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        (email.utils.formatdate(1_000_060, usegmt=True), 60.0),
    ],
)
def test_parse_retry_after(value: str | bytes | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=1_000_000) == expected


def middleware(waits: list[float], **settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(
        Spider,
        settings_dict={
            "RETRY_TIMES": 2,
            "MONITOR_RETRY_BACKOFF": 1.0,
            "MONITOR_RETRY_BACKOFF_MAX": 3.0,
            "MONITOR_RETRY_AFTER_CAP": 60,
            **settings,
        },
    )
    crawler.spider = crawler._create_spider("test")
    mw = BackoffRetryMiddleware.from_crawler(crawler)

    async def record(seconds: float) -> None:
        waits.append(seconds)

    mw._wait = record  # type: ignore[method-assign]
    return mw


def respond(mw: BackoffRetryMiddleware, request: Request, status: int, headers: dict[str, str] | None = None) -> object:
    response = Response(request.url, status=status, headers=headers or {}, request=request)
    return asyncio.run(mw.process_response(request, response))


def test_backoff_doubles_and_retries_are_bounded() -> None:
    waits: list[float] = []
    mw = middleware(waits)
    request = Request("https://dpa.example/feed")
    first = respond(mw, request, 503)
    assert isinstance(first, Request)
    second = respond(mw, first, 503)
    assert isinstance(second, Request)
    given_up = respond(mw, second, 503)
    assert isinstance(given_up, Response) and given_up.status == 503
    assert waits == [1.0, 2.0]


def test_retry_after_within_cap_is_waited() -> None:
    waits: list[float] = []
    retry = respond(middleware(waits), Request("https://dpa.example/feed"), 429, {"Retry-After": "7"})
    assert isinstance(retry, Request) and waits == [7.0]


def test_retry_after_beyond_cap_is_not_waited_and_pauses_the_host() -> None:
    waits: list[float] = []
    mw = middleware(waits)
    request = Request("https://dpa.example/feed")
    response = respond(mw, request, 503, {"Retry-After": "3600"})
    assert isinstance(response, Response) and waits == []
    assert request.meta["retry_after"] == 3600
    with pytest.raises(IgnoreRequest, match="asked us to wait"):
        mw.process_request(Request("https://dpa.example/other"))
    assert mw.process_request(Request("https://other.example/feed")) is None


def test_not_retried_statuses_pass_through() -> None:
    waits: list[float] = []
    response = respond(middleware(waits), Request("https://dpa.example/feed"), 404)
    assert isinstance(response, Response) and response.status == 404 and waits == []
