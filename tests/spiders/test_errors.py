"""Every download failure maps to one error class of the source-health report."""

from __future__ import annotations

import pytest
from OpenSSL import SSL
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders import errors
from spiders.errors import HostSkipped, classify_exception, classify_failure


def http_error(status: int) -> HttpError:
    return HttpError(
        Response("https://dpa.example/feed", status=status, request=Request("https://dpa.example/feed")), "ignored"
    )


def tls_failure() -> DownloadFailedError:
    try:
        raise SSL.Error([("SSL routines", "", "certificate verify failed")])
    except SSL.Error as inner:
        try:
            raise DownloadFailedError("[<Failure ...>]") from inner
        except DownloadFailedError as outer:
            return outer


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (http_error(404), errors.HTTP_4XX),
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
            IgnoreRequest("Ignored response because its body exceeded DOWNLOAD_MAXSIZE during decompression."),
            errors.TOO_LARGE,
        ),
        (IgnoreRequest("Forbidden by robots.txt"), errors.ROBOTS_DENIED),
        (
            HostSkipped("robots.txt unreachable (HTTP 503): x skipped", errors.ROBOTS_UNREACHABLE),
            errors.ROBOTS_UNREACHABLE,
        ),
        (HostSkipped("robots.txt unreachable (timed out)", errors.TIMEOUT), errors.TIMEOUT),
        (IgnoreRequest("max redirections reached"), errors.REDIRECT_LOOP),
        (IgnoreRequest("refused http://10.0.0.1/: 10.0.0.1 is a loopback or private address"), errors.UNSAFE),
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
