"""Scrapy's redirect and meta-refresh middlewares, with typed refusals and the URL gate.

Scrapy refuses a redirect past ``REDIRECT_MAX_TIMES`` with a bare ``IgnoreRequest("max
redirections reached")``, and a ``Location`` it cannot parse ends in a ``ValueError`` from deep in
``Request``. These subclasses raise ``TooManyRedirects`` and ``InvalidRedirect`` instead, so the
error class comes from the type (``spiders.errors``), and every redirect target passes the same
gate as a found link (``monitor.urls.checked_url``): the redirected request is for the URL the gate
returns, read by one parser for the address check and the client alike.

A ``Location`` header is also read by the gate as the server sent it. From w3lib 2.6 on, Scrapy's
``safe_url_string`` rewrites a URL as WHATWG does before the gate sees it (``http://%31%32%37.0.0.1/``
becomes ``http://127.0.0.1/``, ``http:///x`` host ``x``), and a link that a page gives that way is
refused, so a redirect that gives it is too, whichever w3lib is installed. A meta-refresh target
comes out of w3lib's HTML parser already joined and rewritten; the gate reads that.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware, MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from monitor.urls import checked_url, join_url, shown
from spiders.errors import InvalidRedirect, TooManyRedirects


class _CheckedRedirects(BaseRedirectMiddleware):
    def _build_redirect_request(
        self, source_request: Request, response: Response, *, url: str, **kwargs: Any
    ) -> Request:
        return super()._build_redirect_request(source_request, response, url=checked_url(url), **kwargs)

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:  # noqa: ANN401 - Scrapy's signature
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:  # Scrapy raises nothing else here: "max redirections reached"
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects (redirect loop?)") from exc

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        """Scrapy's own (the next class in the MRO: RedirectMiddleware or MetaRefreshMiddleware),
        a Location it cannot split refused by type."""
        try:
            answer: Request | Response = super().process_response(request, response)  # type: ignore[misc]  # BaseRedirectMiddleware has none; the concrete class next in the MRO does
            return answer
        except ValueError as exc:
            raise _refused(response, exc) from exc


def _refused(response: Response, exc: ValueError) -> InvalidRedirect:
    """The gate's ``InvalidURL``, or ``urljoin``'s own ValueError on a Location it cannot split."""
    location = (response.headers.get("Location") or b"").decode("latin-1")
    detail = str(exc) if location in str(exc) else f"Location {shown(location)}: {exc}"
    return InvalidRedirect(f"redirect refused: {detail}")


class CheckedRedirectMiddleware(_CheckedRedirects, RedirectMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.redirect.RedirectMiddleware`` (same order, 600)."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        """A redirect Scrapy would follow, refused when the gate cannot read its raw ``Location``."""
        answer = super().process_response(request, response, spider)
        if isinstance(answer, Request):
            raw = response.headers.get("Location") or b""
            try:
                location = raw.decode("utf-8")
            except UnicodeDecodeError:
                location = raw.decode("latin-1")
            try:
                checked_url(join_url(request.url, location))
            except ValueError as exc:
                raise _refused(response, exc) from exc
        return answer


class CheckedMetaRefreshMiddleware(_CheckedRedirects, MetaRefreshMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware`` (same order, 580)."""
