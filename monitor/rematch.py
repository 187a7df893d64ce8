"""Re-run the matchers over stored articles after a watchlist change, without fetching anything.

Newly flagged articles get a fresh ``flagged_at`` so that the next digest carries them; articles
that are no longer flagged keep their text but lose their topics.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from monitor.matching import Matcher
from monitor.storage.feedback import Mutes, load_mutes
from monitor.storage.matches import apply_match
from monitor.storage.models import Article, SourceRow
from monitor.storage.records import MatchRecord
from monitor.storage.types import utcnow

log = logging.getLogger(__name__)

# Articles re-matched per transaction: small enough that a concurrent crawl waits briefly for the
# write lock, large enough that the commit cost disappears.
BATCH = 200


@dataclass
class RematchReport:
    examined: int = 0
    newly_flagged: list[tuple[int, str]] = field(default_factory=list)
    unflagged: list[tuple[int, str]] = field(default_factory=list)
    topics_changed: list[tuple[int, str, list[str], list[str]]] = field(default_factory=list)
    countries_changed: int = 0


def _apply(
    session: Session,
    article: Article,
    matcher: Matcher,
    report: RematchReport,
    jurisdiction: str | None = None,
    mutes: Mutes | None = None,
    dry_run: bool = False,
) -> None:
    """``jurisdiction``: the article's source's own, the subject of a text that names none (as in a crawl).

    ``mutes``: what analysts muted (``monitor.storage.feedback``) silences those topics here too.
    """
    match = MatchRecord.from_result(matcher.match(article.title, article.text, article.language, jurisdiction))
    if mutes:
        match = mutes.apply(match, article.source_id)
    old_topics = sorted(t.topic for t in article.topics)
    new_topics = sorted(t.topic for t in match.topics)
    # What the item is about and how much, not only which codes: a rematch must rewrite those too.
    old_countries = [(c.code, c.focus, c.mentions) for c in sorted(article.countries, key=lambda c: c.rank)]
    new_countries = [(c.code, c.focus, c.mentions) for c in match.countries]
    old_scores = sorted((t.topic, round(t.score, 3)) for t in article.topics)
    new_scores = sorted((t.topic, round(t.score, 3)) for t in match.topics)
    if match.flagged and not article.flagged:
        report.newly_flagged.append((article.id, article.title))
    elif article.flagged and not match.flagged:
        report.unflagged.append((article.id, article.title))
    elif old_topics != new_topics:
        report.topics_changed.append((article.id, article.title, old_topics, new_topics))
    if old_countries != new_countries:
        report.countries_changed += 1
    if (
        old_scores == new_scores
        and old_countries == new_countries
        and article.reason == match.reason
        and article.flagged == match.flagged
    ) or dry_run:
        return
    # The same text: news only when newly flagged, not when a flagged article gains a topic.
    apply_match(session, article, match, utcnow(), revised=False)


def rematch(
    sessions: sessionmaker[Session],
    matcher: Matcher,
    progress: Callable[[int, int], None] | None = None,
    *,
    dry_run: bool = False,
    newest: int | None = None,
    where: ColumnElement[bool] | None = None,
) -> RematchReport:
    """Re-match every stored article in id order, a batch per transaction.

    ``dry_run``: report what would change and write nothing. ``newest``: only the newest that many
    articles (by id). ``where``: only the articles it selects (a mute lifted).
    """
    report = RematchReport()
    selected = [where] if where is not None else []
    with sessions() as session:
        total = session.scalar(select(func.count(Article.id)).where(*selected)) or 0
        jurisdictions = {
            row.id: row.jurisdiction for row in session.execute(select(SourceRow.id, SourceRow.jurisdiction))
        }
        mutes = load_mutes(session)
        last_id = 0
        if newest is not None:
            total = min(total, newest)
            first = session.scalar(
                select(Article.id).where(*selected).order_by(Article.id.desc()).offset(newest).limit(1)
            )
            last_id = first or 0
    while True:
        with sessions() if dry_run else sessions.begin() as session:
            batch = list(
                session.scalars(
                    select(Article)
                    .where(Article.id > last_id, *selected)
                    .order_by(Article.id)
                    .limit(BATCH)
                    .options(selectinload(Article.topics), selectinload(Article.countries))
                )
            )
            if not batch:
                break
            for article in batch:
                _apply(session, article, matcher, report, jurisdictions.get(article.source_id), mutes, dry_run)
            last_id = batch[-1].id
            report.examined += len(batch)
        if progress is not None:
            progress(report.examined, total)
    return report
