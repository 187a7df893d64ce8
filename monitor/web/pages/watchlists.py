"""The watchlist, read-only, and "try a rule change": a dry run of ``monitor rematch`` on a pasted topic.

The edited topic replaces (or adds) that topic in a copy of the watchlist held in memory; the
stored articles, newest first up to ``WebSettings.dry_run_limit``, are matched again with it and
the mutes, and nothing is written. The file itself is edited by hand as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import select
from starlette.responses import Response

from monitor.digest.safety import plain
from monitor.errors import ConfigError
from monitor.storage.models import Article
from monitor.web.handlers import Ctx, page

MAX_PASTE_CHARS = 100_000
SHOWN = 50


def _raw(ctx: Ctx) -> dict[str, Any]:
    from monitor.config.loader import read_yaml

    data = read_yaml(ctx.web.settings.config.watchlists_path)
    return data if isinstance(data, dict) else {}


def topic_yaml(ctx: Ctx, topic_id: str) -> str:
    spec = (_raw(ctx).get("topics") or {}).get(topic_id)
    if spec is None:
        return ""
    return yaml.safe_dump({topic_id: spec}, allow_unicode=True, sort_keys=False, width=100)


@page()
def watchlists_page(ctx: Ctx) -> Response:
    """Every topic with its rules, weights and exclusions, as the matcher reads them."""
    return ctx.render("watchlists.html", watchlist=ctx.web.watchlist)


@dataclass(frozen=True)
class Change:
    id: int
    title: str
    detail: str = ""


def _edited(ctx: Ctx, topic_id: str, pasted: str) -> tuple[Any, str]:
    """The watchlist with the pasted topic in place of ``topic_id``; the topic id that was edited."""
    from monitor.matching.watchlist import parse_watchlist

    try:
        spec = yaml.safe_load(pasted)
    except yaml.YAMLError as exc:
        raise ConfigError("pasted topic", "", f"not YAML: {exc}") from exc
    if not isinstance(spec, dict) or not spec:
        raise ConfigError("pasted topic", "", "expected a mapping: the topic id, then its label, terms and rules")
    if len(spec) == 1 and isinstance(next(iter(spec.values())), dict) and "terms" not in spec and "rules" not in spec:
        topic_id, spec = next(iter(spec.items()))
    raw = _raw(ctx)
    topics = dict(raw.get("topics") or {})
    topics[str(topic_id)] = spec
    raw["topics"] = topics
    return parse_watchlist(raw, ctx.web.settings.config.watchlists_path), str(topic_id)


@page()
def try_rule(ctx: Ctx) -> Response:
    """GET: the form with a topic's YAML; POST: what the edited topic would flag and unflag."""
    topics = [topic.id for topic in ctx.web.watchlist.topics]
    if ctx.request.method == "GET":
        chosen = ctx.query.get("topic", topics[0] if topics else "")
        return ctx.render("try.html", topics=topics, chosen=chosen, pasted=topic_yaml(ctx, chosen), result=None)
    if ctx.user is None or not ctx.user.can_write:
        return ctx.render(
            "error.html", status_code=403, status=403, message="Viewers can read but not change anything."
        )
    from monitor.matching import Matcher
    from monitor.rematch import rematch

    chosen = ctx.form.get("topic", "")
    pasted = ctx.form.get("yaml", "")[:MAX_PASTE_CHARS]
    try:
        watchlist, chosen = _edited(ctx, chosen, pasted)
        matcher = Matcher.from_watchlist(watchlist)
    except ConfigError as exc:
        return ctx.render(
            "try.html", status_code=400, topics=topics, chosen=chosen, pasted=pasted, result=None, problem=str(exc)
        )
    limit = ctx.web.settings.dry_run_limit
    report = rematch(ctx.web.database.sessions, matcher, dry_run=True, newest=limit)
    gained = [(i, t, new) for i, t, old, new in report.topics_changed if chosen in new and chosen not in old]
    lost = [(i, t, old) for i, t, old, new in report.topics_changed if chosen in old and chosen not in new]
    result = {
        "examined": report.examined,
        "limit": limit,
        "newly_flagged": [Change(i, plain(t)) for i, t in report.newly_flagged[:SHOWN]],
        "unflagged": [Change(i, plain(t)) for i, t in report.unflagged[:SHOWN]],
        "gained": [Change(i, plain(t), ", ".join(new)) for i, t, new in gained[:SHOWN]],
        "lost": [Change(i, plain(t), ", ".join(old)) for i, t, old in lost[:SHOWN]],
        "counts": (len(report.newly_flagged), len(report.unflagged), len(gained), len(lost)),
    }
    with ctx.web.session() as session:
        stored = session.scalar(select(Article.id).limit(1)) is not None
    return ctx.render("try.html", topics=topics, chosen=chosen, pasted=pasted, result=result, stored=stored)
