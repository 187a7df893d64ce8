"""Trends: flagged items per topic and per jurisdiction per week, as server-drawn SVG charts."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import Response

from monitor.reports.trends import chart, weekly
from monitor.web.handlers import Ctx, page

WEEK_CHOICES = (8, 12, 26, 52)


@page()
def trends_page(ctx: Ctx) -> Response:
    try:
        weeks = int(ctx.query.get("weeks", "12"))
    except ValueError:
        weeks = 12
    weeks = weeks if weeks in WEEK_CHOICES else 12
    with ctx.web.session() as session:
        axis, by_topic, by_country = weekly(session, weeks=weeks, now=datetime.now(UTC))
    labels = ctx.web.topic_labels()
    charts = [
        chart("Flagged items per topic and week", axis, by_topic, labels),
        chart("Flagged items per jurisdiction and week", axis, by_country, {}),
    ]
    return ctx.render("trends.html", charts=charts, weeks=weeks, week_choices=WEEK_CHOICES)
