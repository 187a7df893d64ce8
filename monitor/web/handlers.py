"""The one way a page is served: session checked, CSRF checked on every POST, role checked on writes.

A page function is plain synchronous code (SQLAlchemy sessions are synchronous); ``page`` wraps it
into an async Starlette endpoint that does the checks first, then runs it in a worker thread so
that one slow query does not stop every other request.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from monitor.storage.users import Account
from monitor.web.state import WebApp

CSRF_FIELD = "csrf"
# A form is a handful of fields; a pasted topic is the longest (monitor.web.pages.watchlists).
MAX_FORM_FIELDS = 50
MAX_FIELD_BYTES = 200_000

Endpoint = Callable[[Request], Awaitable[Response]]


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use: every form carries it back."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str) or len(token) < 20:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: dict[str, Any], submitted: str | None) -> bool:
    token = session.get(CSRF_FIELD)
    return isinstance(token, str) and isinstance(submitted, str) and secrets.compare_digest(token, submitted)


@dataclass
class Ctx:
    """One request as a page function sees it."""

    request: Request
    web: WebApp
    user: Account | None
    form: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> QueryParams:
        return self.request.query_params

    @property
    def session_data(self) -> dict[str, Any]:
        return self.request.session  # set by monitor.web.sessions

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        values = {
            "user": self.user,
            "csrf": csrf_token(self.session_data),
            "path": self.request.url.path,
            "labels": self.web.topic_labels(),
            **context,
        }
        body = self.web.templates.get_template(template).render(**values)
        return HTMLResponse(body, status_code=status_code)

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)


def error(web: WebApp, request: Request, user: Account | None, status: int, message: str) -> HTMLResponse:
    return Ctx(request, web, user).render("error.html", status_code=status, status=status, message=message)


def page(*, write: bool = False, public: bool = False) -> Callable[[Callable[[Ctx], Response]], Endpoint]:
    """Decorate a page function. ``public``: no session needed (login, health); ``write``: analysts only."""

    def wrap(function: Callable[[Ctx], Response]) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            web: WebApp = request.app.state.web
            user = None if public else await run_in_threadpool(web.current_user, request.session)
            if not public and user is None:
                request.session.pop("uid", None)
                if request.method == "GET":
                    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
                return await run_in_threadpool(error, web, request, None, 401, "Log in first.")
            form: dict[str, str] = {}
            if request.method == "POST":
                async with request.form(max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES) as data:
                    form = {key: value for key, value in data.items() if isinstance(value, str)}
                if not csrf_ok(request.session, form.get(CSRF_FIELD)):
                    return await run_in_threadpool(
                        error,
                        web,
                        request,
                        user,
                        403,
                        "This form has expired or did not come from this site. Reload the page and try again.",
                    )
                if write and (user is None or not user.can_write):
                    return await run_in_threadpool(
                        error, web, request, user, 403, "Viewers can read but not change anything."
                    )
            return await run_in_threadpool(function, Ctx(request, web, user, form))

        endpoint.__name__ = function.__name__
        endpoint.__doc__ = function.__doc__
        return endpoint

    return wrap
