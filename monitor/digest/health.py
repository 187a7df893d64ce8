"""Source health for the digest footer: which sources fail, and which have gone quiet.

A digest that silently lacks a regulator because its feed moved is worse than no digest; the
footer says so every day until someone fixes the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.digest.safety import plain
from monitor.storage.models import Article, Endpoint, SourceRow

# Characters of the last error shown: the class and status say most; the rest is for the log.
ERROR_CHARS = 120
NEVER_DATED = "no dated item seen yet"


@dataclass(frozen=True)
class SourceProblem:
    source_id: str
    name: str
    state: Literal["failing", "silent"]
    detail: str


def _failure_detail(endpoint: Endpoint) -> str:
    parts = [f"{endpoint.consecutive_failures} failed check{'s' if endpoint.consecutive_failures != 1 else ''}"]
    if endpoint.last_status:
        parts.append(f"HTTP {endpoint.last_status}")
    if endpoint.error_class:
        parts.append(plain(endpoint.error_class))
    if endpoint.last_error:
        parts.append(plain(endpoint.last_error)[:ERROR_CHARS])
    return ", ".join(parts)


def source_health(
    session: Session, *, now: datetime, silent_after_days: int, failing_after: int = 1
) -> list[SourceProblem]:
    """Failing sources first (an endpoint failed its last ``failing_after`` checks), then silent ones
    (no new item for too long)."""
    names = dict(session.execute(select(SourceRow.id, SourceRow.name)).all())
    newest_article = dict(
        session.execute(
            select(Article.source_id, func.max(func.coalesce(Article.published_at, Article.fetched_at))).group_by(
                Article.source_id
            )
        ).all()
    )
    by_source: dict[str, list[Endpoint]] = {}
    for endpoint in session.scalars(select(Endpoint).order_by(Endpoint.source_id, Endpoint.url)):
        by_source.setdefault(endpoint.source_id, []).append(endpoint)

    failing, silent = [], []
    cutoff = now - timedelta(days=silent_after_days)
    for source_id, endpoints in sorted(by_source.items()):
        name = plain(names.get(source_id, source_id))
        broken = [e for e in endpoints if (e.consecutive_failures or 0) >= failing_after]
        if broken:
            worst = max(broken, key=lambda e: e.consecutive_failures or 0)
            failing.append(SourceProblem(source_id, name, "failing", _failure_detail(worst)))
            continue
        newest = [e.newest_item_at for e in endpoints if e.newest_item_at] + (
            [newest_article[source_id]] if newest_article.get(source_id) else []
        )
        latest = max(newest) if newest else None
        if latest is None:
            if any(e.last_success_at for e in endpoints):
                silent.append(SourceProblem(source_id, name, "silent", NEVER_DATED))
        elif latest < cutoff:
            days = (now - latest).days
            silent.append(SourceProblem(source_id, name, "silent", f"no new item for {days} days"))
    return failing + silent


def alert_problems(session: Session, *, now: datetime, failed_runs: int, silent_days: int) -> dict[str, SourceProblem]:
    """Sources worth an operator alert: an endpoint failed ``failed_runs`` runs in a row (each run
    checks each endpoint once), or no new item for ``silent_days`` while the source had some."""
    problems = {}
    for problem in source_health(session, now=now, silent_after_days=silent_days, failing_after=failed_runs):
        if problem.state == "silent" and problem.detail == NEVER_DATED:
            continue  # it never published a dated item: nothing it "used to" do
        problems[problem.source_id] = problem
    return problems
