"""The ASGI application: routes, static files, sessions and security headers around every response."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from monitor.web.pages import auth
from monitor.web.security import SecurityHeadersMiddleware
from monitor.web.sessions import SessionMiddleware
from monitor.web.settings import WebSettings
from monitor.web.state import STATIC, WebApp

Endpoint = Callable[[Request], Awaitable[Response]]


async def _home(request: Request) -> Response:
    return RedirectResponse("/items", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal error"
    return PlainTextResponse(f"{status} {detail}", status_code=status)


def _lazy(module: str, name: str) -> Endpoint:
    """An endpoint whose page module is imported on its first request, not at start-up.

    The item, feedback and trends pages pull in the digest's snippet and story code, the
    highlighter and more: importing every page before listening cost a tenth of ``monitor serve``'s
    start-up. The login page and the health check (``auth``) are imported at once.
    """
    target: list[Endpoint] = []

    async def endpoint(request: Request) -> Response:
        if not target:
            target.append(getattr(importlib.import_module(f"monitor.web.pages.{module}"), name))
        return await target[0](request)

    endpoint.__name__ = name
    return endpoint


ROUTES = [
    Route("/", _home),
    Route("/login", auth.login, methods=["GET", "POST"]),
    Route("/logout", auth.logout, methods=["POST"]),
    Route("/healthz", auth.healthz),
    Route("/items", _lazy("items", "item_list")),
    Route("/items/{article_id:int}", _lazy("items", "item_detail")),
    Route("/items/{article_id:int}/judge", _lazy("feedback", "judge_item"), methods=["POST"]),
    Route("/items/{article_id:int}/mute", _lazy("feedback", "mute"), methods=["POST"]),
    Route("/mutes", _lazy("feedback", "mutes_page")),
    Route("/mutes/lift", _lazy("feedback", "unmute"), methods=["POST"]),
    Route("/sources", _lazy("sources", "sources_page")),
    Route("/sources/crawl", _lazy("sources", "crawl_now"), methods=["POST"]),
    Route("/trends", _lazy("trends", "trends_page")),
    Route("/watchlists", _lazy("watchlists", "watchlists_page")),
    Route("/watchlists/try", _lazy("watchlists", "try_rule"), methods=["GET", "POST"]),
    Route("/quality", _lazy("quality", "quality_page")),
]
# Served without a session: the login page and the health check (and the stylesheet they use).
PUBLIC_PATHS = frozenset({"/login", "/logout", "/healthz"})


def create_app(settings: WebSettings) -> Starlette:
    """The app over ``settings.config``'s database; the database is opened now, so a bad URL fails here."""
    web = WebApp(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        web.close()

    app = Starlette(
        routes=[*ROUTES, Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static")],
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(
                SessionMiddleware, secret=web.secret(), max_age=settings.session_max_age, https_only=settings.https_only
            ),
        ],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.web = web
    return app
