"""The sources' health, as ``monitor sources list`` shows it, with a "crawl now" button per source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlalchemy import func, select
from starlette.responses import Response

from monitor.digest.safety import plain, safe_url
from monitor.errors import MonitorError
from monitor.storage.models import Endpoint, Run, RunSource
from monitor.web.handlers import Ctx, page


@dataclass(frozen=True)
class EndpointView:
    kind: str
    url: str
    link: str | None
    status: str
    error_class: str
    failures: int
    items: str
    newest: datetime | None
    checked: datetime | None
    last_success: datetime | None
    error: str


@dataclass(frozen=True)
class SourceView:
    id: str
    name: str
    kind: str
    jurisdiction: str
    enabled: bool
    complete: datetime | None
    last_run: datetime | None
    last_run_status: str
    endpoints: tuple[EndpointView, ...]

    @property
    def failing(self) -> bool:
        return any(e.failures for e in self.endpoints)


def _status(row: Endpoint | None) -> str:
    if row is None or row.last_checked_at is None:
        return "never checked"
    status = "failed" if row.error_class else ("not modified" if row.last_status == 304 else "ok")
    return status if row.last_status is None else f"{status} ({row.last_status})"


def _entry_points(source: object) -> list[tuple[str, str]]:
    from monitor.cli.sources_commands import _entry_points as entry_points

    return [(kind, url) for kind, url in entry_points(source) if kind != "robots"]  # type: ignore[arg-type]  # a configured Source


def source_views(ctx: Ctx) -> list[SourceView]:
    config = ctx.web.settings.config
    with ctx.web.session() as session:
        endpoints = list(session.scalars(select(Endpoint).order_by(Endpoint.source_id, Endpoint.url)))
        last_runs = dict(
            session.execute(select(RunSource.source_id, func.max(RunSource.run_id)).group_by(RunSource.source_id)).all()
        )
        runs = {run.id: run for run in session.scalars(select(Run).where(Run.id.in_(list(last_runs.values()) or [0])))}
    complete = ctx.web.database.repository.last_complete_crawls()
    by_url = {row.url: row for row in endpoints}
    by_source: dict[str, list[Endpoint]] = {}
    for row in endpoints:
        by_source.setdefault(row.source_id, []).append(row)
    views = []
    for source in config.sources:
        rows = [(kind, url, by_url.get(url)) for kind, url in _entry_points(source)]
        named = {url for _kind, url, _row in rows}
        rows += [(row.kind, row.url, row) for row in by_source.get(source.id, []) if row.url not in named]
        run = runs.get(last_runs.get(source.id, -1))
        views.append(
            SourceView(
                id=source.id,
                name=plain(source.name),
                kind=source.kind,
                jurisdiction=source.jurisdiction or "",
                enabled=source.enabled,
                complete=complete.get(source.id),
                last_run=run.started_at if run else None,
                last_run_status=run.status if run else "",
                endpoints=tuple(
                    EndpointView(
                        kind=kind,
                        url=plain(url),
                        link=safe_url(url),
                        status=_status(row),
                        error_class=plain(row.error_class) if row else "",
                        failures=(row.consecutive_failures or 0) if row else 0,
                        items=str(row.items_seen) if row and row.last_checked_at else "",
                        newest=row.newest_item_at if row else None,
                        checked=row.last_checked_at if row else None,
                        last_success=row.last_success_at if row else None,
                        error=plain(row.last_error)[:200] if row and row.last_error else "",
                    )
                    for kind, url, row in rows
                ),
            )
        )
    return views


@page()
def sources_page(ctx: Ctx) -> Response:
    """Every configured source: last complete crawl, last run, and each entry point's health."""
    return ctx.render(
        "sources.html", sources=source_views(ctx), now=datetime.now(UTC), notice=ctx.query.get("notice", "")
    )


@page(write=True)
def crawl_now(ctx: Ctx) -> Response:
    """Start one ``monitor run --source ID`` (see ``monitor.web.crawl``)."""
    source_id = ctx.form.get("source", "")
    launcher = ctx.web.crawl_launcher()
    try:
        ctx.web.settings.config.source(source_id)  # ConfigError: not a configured source
        notice = launcher(source_id)
    except MonitorError as exc:
        return ctx.render("error.html", status_code=400, status=400, message=str(exc))
    return ctx.redirect("/sources?" + urlencode({"notice": notice}))
