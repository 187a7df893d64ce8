"""Rule quality: per topic and per rule, how many judged flags were relevant, over a chosen window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.responses import Response

from monitor.storage.feedback import quality_report
from monitor.web.handlers import Ctx, page

WINDOWS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365, "all": None}


@page()
def quality_page(ctx: Ctx) -> Response:
    window = ctx.query.get("window", "30d")
    window = window if window in WINDOWS else "30d"
    days = WINDOWS[window]
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    with ctx.web.session() as session:
        report = quality_report(session, since=since)
    return ctx.render("quality.html", report=report, window=window, windows=list(WINDOWS))
