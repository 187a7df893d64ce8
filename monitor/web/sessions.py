"""Sessions in a signed cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS.

Starlette's own SessionMiddleware decides ``Secure`` once, at start-up; behind a reverse proxy the
same server answers HTTPS (through the proxy) and plain HTTP (a health check on loopback), so the
flag is set per request here, from the scheme uvicorn's proxy-header handling reports.
The cookie holds only ids and tokens (user id, password version, CSRF token), never a secret.
"""

from __future__ import annotations

import json
from http.cookies import CookieError, SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "monitor_session"


class SessionMiddleware:
    def __init__(self, app: ASGIApp, secret: str, *, max_age: int, https_only: bool = False) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret, salt="news-monitor session")
        self.max_age = max_age
        self.https_only = https_only

    def _load(self, scope: Scope) -> dict[str, Any]:
        for name, value in scope.get("headers", []):
            if name != b"cookie":
                continue
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except CookieError:
                return {}  # a malformed Cookie header is no session, never an error page
            morsel = cookie.get(COOKIE_NAME)
            if morsel is None:
                continue
            try:
                data = self.serializer.loads(morsel.value, max_age=self.max_age)
            except (BadSignature, ValueError):
                return {}
            return data if isinstance(data, dict) else {}
        return {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self._load(scope)
        before = json.dumps(session, sort_keys=True)
        scope["session"] = session
        secure = self.https_only or scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = scope["session"]
                if json.dumps(current, sort_keys=True) != before:
                    headers = MutableHeaders(scope=message)
                    attributes = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                    if current:
                        value = self.serializer.dumps(current)
                        headers.append("Set-Cookie", f"{COOKIE_NAME}={value}; Max-Age={self.max_age}; {attributes}")
                    else:
                        headers.append("Set-Cookie", f"{COOKIE_NAME}=; Max-Age=0; {attributes}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
