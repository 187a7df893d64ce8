"""Maps a failed fetch to one of the error classes that the source-health report shows.

Third-party exceptions (Twisted, Scrapy, pyOpenSSL) are translated here and nowhere else, so the
rest of the code speaks only in these names. The class is decided by the exception's type (and the
types it was raised from), never by its message: a message carries the URL, and a URL may say
anything ("/news/robots-and-ai.html", "/tls-guidance"). Our own middlewares raise the
``RefusedRequest`` subclasses below; Scrapy's redirect limit is given a type by
``spiders.middlewares.redirect``, its decompression limit is recognised by the exception it
raises from.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as net_error
from twisted.python.failure import Failure

TIMEOUT = "timeout"
DNS = "dns"
TLS = "tls"
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
BLOCKED = "blocked"
NOT_A_FEED = "not_a_feed"
TOO_LARGE = "too_large"
ROBOTS_DENIED = "robots_denied"
ROBOTS_UNREACHABLE = "robots_unreachable"
CONNECTION = "connection"
REDIRECT_LOOP = "redirect_loop"
UNSAFE = "unsafe_address"
INVALID_URL = "invalid_url"
OTHER = "other"

ERROR_CLASSES = (
    TIMEOUT,
    DNS,
    TLS,
    HTTP_4XX,
    HTTP_5XX,
    BLOCKED,
    NOT_A_FEED,
    TOO_LARGE,
    ROBOTS_DENIED,
    ROBOTS_UNREACHABLE,
    CONNECTION,
    REDIRECT_LOOP,
    UNSAFE,
    INVALID_URL,
    OTHER,
)


class UnsafeAddressError(Exception):
    """Base of every refusal of an internal or unresolvable address, wherever it is raised (the
    request middleware, the resolver at connection time): classified as ``unsafe_address`` by type.
    Subclass it together with the exception type the raising layer needs (IgnoreRequest, DNSLookupError)."""


class RefusedRequest(IgnoreRequest):
    """A request one of our middlewares did not send; the subclass (or ``error_class``) says why."""

    error_class = OTHER

    def __init__(self, message: str, error_class: str | None = None) -> None:
        super().__init__(message)
        if error_class is not None:
            self.error_class = error_class


class HostSkipped(RefusedRequest):
    """A request not sent because its host is left alone for this run (its robots.txt cannot be
    read, it asked to wait beyond the cap), with the reason's class."""

    def __init__(self, message: str, error_class: str) -> None:
        super().__init__(message, error_class)


class RobotsDenied(RefusedRequest):
    """robots.txt disallows the URL."""

    error_class = ROBOTS_DENIED


class TooManyRedirects(RefusedRequest):
    """More redirects than ``REDIRECT_MAX_TIMES``."""

    error_class = REDIRECT_LOOP


class InvalidRedirect(RefusedRequest):
    """A redirect to a URL that ``monitor.urls.checked_url`` refuses."""

    error_class = INVALID_URL


def classify_status(status: int) -> str:
    if status in (401, 403, 429, 451):
        return BLOCKED
    if 400 <= status < 500:
        return HTTP_4XX
    return HTTP_5XX


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and its causes: Scrapy wraps Twisted's and OpenSSL's errors in its own."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        for inner in getattr(current, "reasons", None) or []:  # twisted ResponseFailed
            value = getattr(inner, "value", None)
            if isinstance(value, BaseException):
                yield value
        current = current.__cause__ or current.__context__


def _tls_errors() -> tuple[type[BaseException], ...]:
    from OpenSSL import SSL

    types: list[type[BaseException]] = [SSL.Error, ssl.SSLError]
    try:
        from service_identity import exceptions as identity
    except ImportError:  # pragma: no cover - Scrapy's TLS stack depends on it
        pass
    else:
        types += [identity.VerificationError, identity.CertificateError]
    return tuple(types)


def _is_tls(exc: BaseException) -> bool:
    tls = _tls_errors()
    return any(isinstance(link, tls) for link in _chain(exc))


def _decompression_limit() -> type[BaseException] | None:
    """What Scrapy's HttpCompressionMiddleware raises its IgnoreRequest from at DOWNLOAD_MAXSIZE."""
    try:
        from scrapy.utils._compression import _DecompressionMaxSizeExceeded
    except ImportError:  # pragma: no cover - tests/spiders/test_errors.py runs the real middleware
        return None
    return _DecompressionMaxSizeExceeded


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """Return ``(error_class, one-line cause)`` for an exception raised by a download."""
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadFailedError,
        DownloadTimeoutError,
        ResponseDataLossError,
    )
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.defer import CancelledError

    if isinstance(exc, HttpError) and exc.response is not None:
        status = exc.response.status
        return classify_status(status), f"HTTP {status}"
    name = type(exc).__name__
    text = str(exc).strip()
    message = text.splitlines()[0] if text else name
    if any(isinstance(link, UnsafeAddressError) for link in _chain(exc)):
        return UNSAFE, message
    if isinstance(exc, CannotResolveHostError | net_error.DNSLookupError):
        return DNS, f"DNS lookup failed: {message}"
    if isinstance(exc, DownloadCancelledError | CancelledError):
        # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE, announced or while streaming.
        return TOO_LARGE, message if "size" in message else "response larger than the download size limit"
    if isinstance(exc, DownloadTimeoutError | net_error.TimeoutError | net_error.TCPTimedOutError):
        return TIMEOUT, f"timed out: {message}"
    if isinstance(exc, RefusedRequest):
        return exc.error_class, message
    limit = _decompression_limit()
    if limit is not None and any(isinstance(link, limit) for link in _chain(exc)):
        return TOO_LARGE, "body exceeded the download size limit while decompressing (gzip bomb?)"
    if isinstance(exc, IgnoreRequest):
        return OTHER, f"not fetched: {message}"
    if _is_tls(exc):
        return TLS, f"TLS error: {message}"
    if isinstance(
        exc,
        DownloadConnectionRefusedError
        | DownloadFailedError
        | ResponseDataLossError
        | net_error.ConnectError
        | net_error.ConnectionLost
        | net_error.ConnectionDone,
    ):
        return CONNECTION, f"connection failed: {message}"
    return OTHER, f"{name}: {message}"


def classify_failure(failure: Failure) -> tuple[str, str]:
    """Return ``(error_class, one-line cause)`` for a request errback failure."""
    if failure.value is None:
        return OTHER, "failure without an exception"
    return classify_exception(failure.value)
