"""Maps a failed fetch to one of the error classes that the source-health report shows.

Third-party exceptions (Twisted, Scrapy, pyOpenSSL) are translated here and nowhere else, so the
rest of the code speaks only in these names.
"""

from __future__ import annotations

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
    OTHER,
)

# Messages our own middlewares put in IgnoreRequest, so the class survives Scrapy's plumbing.
ROBOTS_UNREACHABLE_MARK = "robots.txt unreachable"
UNSAFE_MARK = "loopback or private address"
WAIT_MARK = "asked us to wait"


class UnsafeAddressError(Exception):
    """Base of every refusal of an internal or unresolvable address, wherever it is raised (the
    request middleware, the resolver at connection time): classified as ``unsafe_address`` by type.
    Subclass it together with the exception type the raising layer needs (IgnoreRequest, DNSLookupError)."""


class HostSkipped(IgnoreRequest):
    """A request not sent because its host is left alone for this run, with the reason's class."""

    def __init__(self, message: str, error_class: str) -> None:
        super().__init__(message)
        self.error_class = error_class


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


def _is_tls(exc: BaseException) -> bool:
    from OpenSSL import SSL

    for link in _chain(exc):
        if isinstance(link, SSL.Error):
            return True
        text = f"{type(link).__name__} {link}".lower()
        if "ssl" in text or "certificate" in text or "tls" in text:
            return True
    return False


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
    if isinstance(exc, HostSkipped):
        return exc.error_class, message
    if isinstance(exc, IgnoreRequest):
        lowered = message.lower()
        if ROBOTS_UNREACHABLE_MARK in lowered:
            return ROBOTS_UNREACHABLE, message
        if "robots" in lowered:
            return ROBOTS_DENIED, "forbidden by robots.txt"
        if UNSAFE_MARK in lowered:
            return UNSAFE, message
        if "max size" in lowered or "download_maxsize" in lowered:
            return TOO_LARGE, "body exceeded the download size limit while decompressing (gzip bomb?)"
        if "max redirections" in lowered:
            return REDIRECT_LOOP, "too many redirects (redirect loop?)"
        return BLOCKED, message
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
