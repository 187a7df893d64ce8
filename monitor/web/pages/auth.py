"""Log in, log out, and the health check: the only routes served without a session."""

from __future__ import annotations

from sqlalchemy import text
from starlette.responses import PlainTextResponse, Response

from monitor.web.handlers import CSRF_FIELD, Ctx, page

# Per client address the limit is higher: colleagues behind one proxy share an address.
IP_FACTOR = 4


def _next(value: str | None) -> str:
    """Where to go after logging in: a path on this site only (no //host, no scheme)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@page(public=True)
def login(ctx: Ctx) -> Response:
    """The login form (GET) and its check (POST), throttled per username and per client address."""
    target = _next(ctx.form.get("next") or ctx.query.get("next"))
    if ctx.request.method == "GET":
        return ctx.render("login.html", next=target)
    from monitor.storage.users import authenticate

    username = ctx.form.get("username", "").strip()[:64]
    password = ctx.form.get("password", "")[:1024]
    client = ctx.request.client.host if ctx.request.client else "unknown"
    user_key, ip_key = f"user:{username.casefold()}", f"ip:{client}"
    throttle = ctx.web.throttle
    wait = max(throttle.retry_after(user_key), ctx.web.ip_throttle.retry_after(ip_key))
    if wait:
        response = ctx.render(
            "login.html",
            status_code=429,
            next=target,
            username=username,
            message=f"Too many failed logins. Try again in {wait // 60 + 1} minutes.",
        )
        response.headers["Retry-After"] = str(wait)
        return response
    with ctx.web.transaction() as session:
        account = authenticate(session, username, password) if username and password else None
    if account is None:
        throttle.failed(user_key)
        ctx.web.ip_throttle.failed(ip_key)
        return ctx.render(
            "login.html", status_code=401, next=target, username=username, message="Wrong username or password."
        )
    throttle.succeeded(user_key)
    session_data = ctx.session_data
    session_data.clear()  # a new session: no token of the anonymous one survives the login
    session_data.update({"uid": account.id, "sv": account.session_version})
    return ctx.redirect(target)


@page(public=True)
def logout(ctx: Ctx) -> Response:
    """POST only, with the CSRF token: a link elsewhere cannot log an analyst out."""
    ctx.session_data.clear()
    return ctx.redirect("/login")


@page(public=True)
def healthz(ctx: Ctx) -> Response:
    """``ok`` when the database answers; for a load balancer or systemd's watchdog."""
    with ctx.web.session() as session:
        session.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


__all__ = ["CSRF_FIELD", "healthz", "login", "logout"]
