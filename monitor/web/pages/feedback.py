"""Feedback forms of an item: relevant / not relevant, mute a source for a topic, mute a term; the mutes page."""

from __future__ import annotations

from starlette.responses import Response

from monitor.errors import UsageError
from monitor.storage.feedback import (
    MUTE_SOURCE,
    MUTE_TERM,
    VERDICTS,
    add_mute,
    apply_mutes_to_stored,
    clear_judgement,
    judge,
    lifted_condition,
    list_mutes,
    load_mutes,
    mute_candidates,
    remove_mute,
)
from monitor.storage.models import Article
from monitor.web.handlers import Ctx, page


def _article_id(ctx: Ctx) -> int:
    try:
        return int(ctx.request.path_params["article_id"])
    except (KeyError, ValueError):
        return 0


def _back(ctx: Ctx, article_id: int) -> str:
    """Back to the list the analyst came from (kept in the form), else to the item."""
    target = ctx.form.get("back", "")
    if target.startswith("/items") and not target.startswith("//"):
        return target
    return f"/items/{article_id}"


@page(write=True)
def judge_item(ctx: Ctx) -> Response:
    """Relevant, not relevant (with an optional reason), or clear the verdict."""
    article_id = _article_id(ctx)
    verdict = ctx.form.get("verdict", "")
    assert ctx.user is not None
    try:
        with ctx.web.transaction() as session:
            if verdict == "clear":
                clear_judgement(session, article_id)
            elif verdict in VERDICTS:
                judge(session, article_id, verdict, ctx.user.username, ctx.form.get("reason", ""))
            else:
                raise UsageError(f"unknown verdict {verdict!r}")
    except UsageError as exc:
        return ctx.render("error.html", status_code=400, status=400, message=str(exc))
    return ctx.redirect(_back(ctx, article_id))


@page(write=True)
def mute(ctx: Ctx) -> Response:
    """Mute this item's source for a topic, or a term (for one topic or all): stored matches change now."""
    article_id = _article_id(ctx)
    kind = ctx.form.get("kind", "")
    topic = ctx.form.get("topic", "").strip()
    assert ctx.user is not None
    try:
        if topic and topic not in {t.id for t in ctx.web.watchlist.topics}:
            raise UsageError(f"no topic {topic!r}")
        with ctx.web.transaction() as session:
            article = session.get(Article, article_id)
            if kind == MUTE_SOURCE:
                if article is None:
                    raise UsageError(f"no article {article_id}")
                value = article.source_id
            elif kind == MUTE_TERM:
                value = ctx.form.get("term", "")
            else:
                raise UsageError(f"unknown mute {kind!r}")
            row = add_mute(session, kind, value, topic, ctx.user.username)
            apply_mutes_to_stored(session, mute_candidates(session, row), load_mutes(session))
    except UsageError as exc:
        return ctx.render("error.html", status_code=400, status=400, message=str(exc))
    ctx.web.forget("facets")
    return ctx.redirect(_back(ctx, article_id) if article_id else "/mutes")


@page()
def mutes_page(ctx: Ctx) -> Response:
    """Every mute, who made it and when; analysts can lift one."""
    with ctx.web.session() as session:
        rows = list_mutes(session)
    return ctx.render("mutes.html", mutes=rows, names=ctx.web.source_names(), notice=ctx.query.get("notice", ""))


@page(write=True)
def unmute(ctx: Ctx) -> Response:
    """Lift a mute: the articles it concerned are matched again (with the remaining mutes) at once."""
    from urllib.parse import urlencode

    from monitor.rematch import rematch

    try:
        mute_id = int(ctx.form.get("mute", ""))
    except ValueError:
        mute_id = 0
    try:
        with ctx.web.transaction() as session:
            row = remove_mute(session, mute_id)
            where = lifted_condition(row.kind, row.value)
    except UsageError as exc:
        return ctx.render("error.html", status_code=400, status=400, message=str(exc))
    report = rematch(ctx.web.database.sessions, ctx.web.matcher(), where=where)
    ctx.web.forget("facets")
    notice = f"Mute lifted: {report.examined} articles matched again, {len(report.newly_flagged)} flagged again."
    return ctx.redirect("/mutes?" + urlencode({"notice": notice}))
