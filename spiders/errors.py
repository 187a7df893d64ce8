"""Maps a failed fetch to one of the error classes that the source-health report shows.

Third-party exceptions (Twisted, Scrapy) are translated here and nowhere else, so the rest of the
code speaks only in these names.
"""

from __future__ import annotations

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
UNSAFE = "unsafe_address"
OTHER = "other"


def classify_status(status: int) -> str:
    if status in (401, 403, 429):
        return BLOCKED
    if 400 <= status < 500:
        return HTTP_4XX
    return HTTP_5XX


def classify_failure(failure: Failure) -> tuple[str, str]:
    """Return ``(error_class, one-line cause)`` for a request errback failure."""
    from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.defer import CancelledError

    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return classify_status(status), f"HTTP {status}"
    name = type(exc).__name__
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    if isinstance(exc, net_error.DNSLookupError):
        return DNS, f"DNS lookup failed: {message}"
    if isinstance(exc, DownloadCancelledError | CancelledError):
        # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE (also when a gzip body inflates).
        return TOO_LARGE, message if "size" in message else "response larger than the download size limit"
    if isinstance(exc, DownloadTimeoutError | net_error.TimeoutError | net_error.TCPTimedOutError):
        return TIMEOUT, f"timed out: {message}"
    if "SSL" in name or "TLS" in name or "certificate" in message.lower():
        return TLS, f"TLS error: {message}"
    if isinstance(exc, IgnoreRequest):
        lowered = message.lower()
        if "robots" in lowered:
            return ROBOTS_DENIED, "forbidden by robots.txt"
        if "private" in lowered or "loopback" in lowered or "unsafe" in lowered:
            return UNSAFE, message
        return BLOCKED, message
    if isinstance(exc, net_error.ConnectError | net_error.ConnectionLost | net_error.ConnectionDone):
        return CONNECTION, f"connection failed: {message}"
    return OTHER, f"{name}: {message}"
