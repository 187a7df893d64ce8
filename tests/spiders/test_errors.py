"""Every download failure maps to one error class of the source-health report, by its type.

The refusals come from the real middlewares (Scrapy's compression middleware, our robots, retry
and redirect middlewares), on URLs whose words would mislead a classifier that reads messages:
a path with "robots", "tls" or "max size" in it says nothing about why its fetch failed.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import pytest
import w3lib
from OpenSSL import SSL
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse, Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.defer import maybeDeferred
from twisted.python.failure import Failure

from spiders import errors
from spiders.errors import HostSkipped, classify_exception, classify_failure
from spiders.middlewares import safety
from spiders.middlewares.redirect import CheckedMetaRefreshMiddleware, CheckedRedirectMiddleware
from spiders.middlewares.retry import BackoffRetryMiddleware
from spiders.middlewares.robots import StrictRobotsTxtMiddleware
from spiders.middlewares.safety import PrivateAddressMiddleware
from spiders.resolver import AddressGate, Policy, _getaddrinfo

SITE = "https://dpa.example"
# w3lib 2.6 reads a URL as WHATWG (and browsers) do before a Request or a redirect is made:
# http://%31%32%37.0.0.1/ is http://127.0.0.1/, and http:///news/x is host "news".
WHATWG_W3LIB = tuple(int(part) for part in w3lib.__version__.split(".")[:2]) >= (2, 6)


def http_error(status: int, path: str = "/feed") -> HttpError:
    url = SITE + path
    return HttpError(Response(url, status=status, request=Request(url)), "Ignoring non-200 response")


def tls_failure() -> DownloadFailedError:
    try:
        raise SSL.Error([("SSL routines", "", "certificate verify failed")])
    except SSL.Error as inner:
        try:
            raise DownloadFailedError("[<Failure ...>]") from inner
        except DownloadFailedError as outer:
            return outer


def raised(call: Callable[[], object]) -> BaseException:
    """What a middleware call raises (a coroutine is run to its end)."""

    def run() -> None:
        result = call()
        if asyncio.iscoroutine(result):
            asyncio.run(result)

    with pytest.raises(BaseException) as caught:  # noqa: PT011 - any refusal, classified by the test
        run()
    return caught.value


def crawler_for(**settings: object) -> Crawler:
    crawler = get_crawler(Spider, settings_dict={"MONITOR_RETRY_AFTER_CAP": 5, **settings})
    crawler.spider = crawler._create_spider("test")
    return crawler


def robots_denial(path: str) -> BaseException:
    crawler = crawler_for(ROBOTSTXT_OBEY=True)
    middleware = StrictRobotsTxtMiddleware.from_crawler(crawler)
    parser = ProtegoRobotParser(b"User-agent: *\nDisallow: /private/\n", crawler.spider)
    return raised(lambda: middleware.process_request_2(parser, Request(SITE + path)))


def retry_after_pause(host: str) -> BaseException:
    middleware = BackoffRetryMiddleware.from_crawler(crawler_for())
    request = Request(f"https://{host}/feed.xml")
    response = Response(request.url, status=503, headers={"Retry-After": "3600"}, request=request)
    asyncio.run(middleware.process_response(request, response))  # beyond the cap: the host is paused
    return raised(lambda: middleware.process_request(Request(f"https://{host}/news/2.html")))


def gzip_bomb(path: str) -> BaseException:
    crawler = crawler_for(DOWNLOAD_MAXSIZE=10_000)
    middleware = HttpCompressionMiddleware.from_crawler(crawler)
    middleware.open_spider(crawler.spider)
    request = Request(SITE + path)
    body = gzip.compress(b"<rss>" + b" " * 1_000_000 + b"</rss>")
    response = Response(request.url, body=body, headers={"Content-Encoding": "gzip"}, request=request)
    return raised(lambda: middleware.process_response(request, response))


def redirect_chain(path: str) -> BaseException:
    """Follow a 302 to the same URL until the middleware gives up."""
    crawler = crawler_for(REDIRECT_MAX_TIMES=2)
    middleware = CheckedRedirectMiddleware.from_crawler(crawler)
    request = Request(SITE + path)

    def follow() -> None:
        current = request
        for _ in range(10):
            response = Response(current.url, status=302, headers={"Location": path}, request=current)
            result = middleware.process_response(current, response)
            assert isinstance(result, Request)
            current = result

    return raised(follow)


def redirect_to(location: str) -> BaseException:
    crawler = crawler_for()
    middleware = CheckedRedirectMiddleware.from_crawler(crawler)
    request = Request(SITE + "/news/moved.html")
    response = Response(request.url, status=301, headers={"Location": location}, request=request)
    return raised(lambda: middleware.process_response(request, response))


def meta_refresh_to(target: str) -> BaseException:
    crawler = crawler_for()
    middleware = CheckedMetaRefreshMiddleware.from_crawler(crawler)
    request = Request(SITE + "/news/old.html")
    body = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'.encode()
    response = HtmlResponse(request.url, body=body, request=request)
    return raised(lambda: middleware.process_response(request, response))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (http_error(404), errors.HTTP_4XX),
        (http_error(404, "/robots-policy.html"), errors.HTTP_4XX),
        (http_error(410), errors.HTTP_4XX),
        (http_error(403), errors.BLOCKED),
        (http_error(429), errors.BLOCKED),
        (http_error(503), errors.HTTP_5XX),
        (CannotResolveHostError("no such host"), errors.DNS),
        (DownloadTimeoutError("took longer than 2 seconds"), errors.TIMEOUT),
        (
            DownloadCancelledError("Expected to receive 5242880 bytes which is larger than download max size"),
            errors.TOO_LARGE,
        ),
        (
            HostSkipped("robots.txt unreachable (HTTP 503): x skipped", errors.ROBOTS_UNREACHABLE),
            errors.ROBOTS_UNREACHABLE,
        ),
        (HostSkipped("robots.txt unreachable (timed out)", errors.TIMEOUT), errors.TIMEOUT),
        (tls_failure(), errors.TLS),
        (DownloadConnectionRefusedError("refused"), errors.CONNECTION),
        (RuntimeError("surprise"), errors.OTHER),
    ],
)
def test_classify(exc: Exception, expected: str) -> None:
    error_class, cause = classify_exception(exc)
    assert error_class == expected
    assert cause and "\n" not in cause
    assert classify_failure(Failure(exc))[0] == expected


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: robots_denial("/private/report.html"), errors.ROBOTS_DENIED),
        (lambda: retry_after_pause("www.dpa.example"), errors.BLOCKED),
        # A host named for robots: the pause is still the host asking us to wait.
        (lambda: retry_after_pause("robots-registry.example"), errors.BLOCKED),
        (lambda: gzip_bomb("/feed.xml"), errors.TOO_LARGE),
        (lambda: gzip_bomb("/news/robots-and-ai.xml"), errors.TOO_LARGE),
        (lambda: redirect_chain("/loop"), errors.REDIRECT_LOOP),
        (lambda: redirect_chain("/news/robots-and-ai.html"), errors.REDIRECT_LOOP),
        (lambda: redirect_to("http://dpa.example:1:80/news/new.html"), errors.INVALID_URL),
        (lambda: redirect_to("http://[2001:db8::1/news/new.html"), errors.INVALID_URL),
        # Read as sent, whichever w3lib rewrites it first (spiders/middlewares/redirect.py).
        (lambda: redirect_to("http://%31%32%37.0.0.1/news/new.html"), errors.INVALID_URL),
        (lambda: redirect_to("http:///news/new.html"), errors.INVALID_URL),
        pytest.param(
            lambda: meta_refresh_to("http:///news/new.html"),
            errors.INVALID_URL,
            marks=pytest.mark.skipif(WHATWG_W3LIB, reason="w3lib 2.6 reads the empty host as browsers do (below)"),
        ),
    ],
)
def test_refusals_of_the_real_middlewares_are_classified_by_type(
    make: Callable[[], BaseException], expected: str
) -> None:
    exc = make()
    assert isinstance(exc, IgnoreRequest), exc
    error_class, cause = classify_exception(exc)
    assert error_class == expected, cause
    assert cause and "\n" not in cause


def test_a_redirect_past_the_limit_says_so_and_a_valid_ipv6_target_is_followed() -> None:
    exc = redirect_chain("/loop")
    assert classify_exception(exc)[1] == "more than 2 redirects (redirect loop?)"
    crawler = crawler_for()
    middleware = CheckedRedirectMiddleware.from_crawler(crawler)
    request = Request(SITE + "/news/moved.html")
    response = Response(request.url, status=301, headers={"Location": "http://[2001:DB8::1]:8080/n"}, request=request)
    followed = middleware.process_response(request, response)
    assert isinstance(followed, Request) and followed.url == "http://[2001:db8::1]:8080/n"


@pytest.mark.parametrize(
    ("exc", "wrong"),
    [
        # Messages that name a URL: the words in it decide nothing.
        (IgnoreRequest("refused https://dpa.example/news/robots-and-ai.html: not fetched"), errors.ROBOTS_DENIED),
        (IgnoreRequest("https://dpa.example/max-redirections-reached.html skipped"), errors.REDIRECT_LOOP),
        (IgnoreRequest("https://dpa.example/guides/max-size-of-fines.html skipped"), errors.TOO_LARGE),
        (IgnoreRequest("https://dpa.example/a loopback or private address guide"), errors.UNSAFE),
        (DownloadFailedError("connection to https://dpa.example/tls-certificate-guidance lost"), errors.TLS),
    ],
)
def test_words_in_a_message_decide_nothing(exc: Exception, wrong: str) -> None:
    error_class, _cause = classify_exception(exc)
    assert error_class != wrong
    assert error_class in (errors.OTHER, errors.CONNECTION)


def test_a_meta_refresh_to_a_percent_encoded_loopback_host_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refresh target comes out of w3lib's HTML parser. Before 2.6 the host stays encoded there
    and the gate refuses it as an invalid URL; from 2.6 on it is decoded to 127.0.0.1, and the
    address check refuses the refreshed request before it is sent."""
    monkeypatch.setattr(safety, "ensure_installed", lambda reactor, gate: None)
    refresh = CheckedMetaRefreshMiddleware.from_crawler(crawler_for())
    check = PrivateAddressMiddleware(AddressGate(Policy(), lambda host: maybeDeferred(_getaddrinfo, host)))
    request = Request(SITE + "/news/old.html")
    body = (
        b'<html><head><meta http-equiv="refresh" content="0; url=http://%31%32%37.0.0.1/news/new.html"></head></html>'
    )
    response = HtmlResponse(request.url, body=body, request=request)

    def follow() -> object:
        refreshed = refresh.process_response(request, response)
        assert isinstance(refreshed, Request)
        assert refreshed.url == "http://127.0.0.1/news/new.html"
        return check.process_request(refreshed)

    exc = raised(follow)
    assert isinstance(exc, IgnoreRequest), exc
    error_class, cause = classify_exception(exc)
    assert error_class == (errors.UNSAFE if WHATWG_W3LIB else errors.INVALID_URL), cause


@pytest.mark.skipif(not WHATWG_W3LIB, reason="w3lib < 2.6 leaves the empty host to the gate, which refuses it")
def test_a_meta_refresh_with_an_empty_host_is_read_as_browsers_read_it() -> None:
    """``http:///news/new.html`` is host "news" to a browser and to w3lib 2.6: the refresh is
    followed there, and that host's lookup and address check decide the rest."""
    crawler = crawler_for()
    middleware = CheckedMetaRefreshMiddleware.from_crawler(crawler)
    request = Request(SITE + "/news/old.html")
    body = b'<html><head><meta http-equiv="refresh" content="0; url=http:///news/new.html"></head></html>'
    redirected = middleware.process_response(request, HtmlResponse(request.url, body=body, request=request))
    assert isinstance(redirected, Request)
    assert redirected.url == "http://news/new.html"
