"""Which flagged items go into a digest: the window, a recipient's subscription, syndicated copies.

An item is eligible for a recipient when it was flagged inside the window and has not been sent
to that recipient since it was (last) flagged. The second condition is what makes a digest
exactly-once per item: windows overlap by ``LOOKBACK`` so that an item whose crawl transaction
committed just after the previous digest read the database is not lost, and the sent-check keeps
the overlap from repeating anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitor.config.schema import Recipient
from monitor.digest.safety import plain, safe_url
from monitor.digest.snippets import Segment, snippet
from monitor.storage.feedback import hidden_ids
from monitor.storage.models import Article, Digest, DigestItem, SourceRow
from monitor.storage.records import about_codes
from monitor.storage.stories import stories_for

# How far a window reaches back before its start. A crawl stamps flagged_at when its transaction
# begins; an hour covers any commit delay (SQLite busy waits, slow PostgreSQL) with a wide margin.
LOOKBACK = timedelta(hours=1)
NO_JURISDICTION = ""


@dataclass(frozen=True)
class Subscription:
    """What a recipient wants; an empty set means 'everything'."""

    topics: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()

    @classmethod
    def of(cls, recipient: Recipient | None) -> Subscription:
        if recipient is None:
            return cls()
        return cls(frozenset(recipient.topics), frozenset(code.upper() for code in recipient.countries))

    def topic_ok(self, topic: str) -> bool:
        return not self.topics or topic in self.topics

    def country_ok(self, code: str) -> bool:
        return not self.countries or code in self.countries

    def accepts(self, article: Article) -> bool:
        """A subscribed topic fired, and the item is about a subscribed jurisdiction (a mention is not enough)."""
        topics_ok = any(self.topic_ok(match.topic) for match in article.topics)
        countries_ok = not self.countries or any(self.country_ok(code) for code in about_codes(article.countries))
        return topics_ok and countries_ok


@dataclass(frozen=True)
class Copy:
    """A syndicated copy of an item, shown as 'also reported by'."""

    source: str
    url: str | None


@dataclass(frozen=True)
class Entry:
    """One item of a digest, everything in it already sanitized plain text."""

    article_ids: tuple[int, ...]
    title: str
    url: str | None
    source: str
    date: datetime | None  # the publication date; None for an undated document
    jurisdictions: tuple[str, ...]  # what the item is about (the contract's ``countries``), most salient first
    topics: tuple[str, ...]
    terms: tuple[str, ...]  # the terms that made a rule fire (highlighted), not the context words
    group_topic: str
    group_jurisdiction: str
    snippet: tuple[Segment, ...]
    reason: str
    also: tuple[Copy, ...] = ()
    # Topic scores in [0, 1], in ``topics`` order; a group lists its items by the score of its topic.
    scores: tuple[float, ...] = ()
    found_at: datetime | None = None  # when the crawl first fetched it: what an undated item shows

    @property
    def score(self) -> float:
        """How much the item is about its group's topic (the best subscribed topic)."""
        return dict(zip(self.topics, self.scores, strict=False)).get(self.group_topic, 0.0)

    @property
    def other_topics(self) -> tuple[str, ...]:
        """The item's topics besides the one it is shown under, best score first: named, not repeated."""
        return tuple(topic for topic in self.topics if topic != self.group_topic)

    @property
    def when(self) -> datetime | None:
        """The date an item sorts by: published, else found."""
        return self.date or self.found_at


@dataclass(frozen=True)
class Selection:
    entries: list[Entry]
    truncated: int = 0
    article_ids: list[int] = field(default_factory=list)


def _load(session: Session, query: object) -> list[Article]:
    options = (selectinload(Article.topics), selectinload(Article.countries))
    return list(session.scalars(query.options(*options)))  # type: ignore[attr-defined]  # loader options built at runtime from relationship names


def candidates(session: Session, *, since: datetime | None, until: datetime) -> list[Article]:
    """Flagged articles whose flagged_at falls in [since - LOOKBACK, until)."""
    query = select(Article).where(Article.flagged.is_(True), Article.flagged_at < until)
    if since is not None:
        query = query.where(Article.flagged_at >= since - LOOKBACK)
    return _load(session, query.order_by(Article.flagged_at, Article.id))


def sent_since_flagged(session: Session, recipient: str, article_ids: Iterable[int]) -> set[int]:
    """Ids among ``article_ids`` already mailed to ``recipient`` after they were last flagged."""
    ids = list(article_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            select(DigestItem.article_id)
            .join(Digest, Digest.id == DigestItem.digest_id)
            .join(Article, Article.id == DigestItem.article_id)
            .where(
                Digest.recipient == recipient,
                Digest.status == "sent",
                DigestItem.article_id.in_(chunk),
                Digest.created_at >= Article.flagged_at,
            )
        )
        found.update(session.scalars(query))
    return found


def best_topic(topics: Sequence[str], scores: Sequence[float], subscription: Subscription) -> str:
    """The subscribed topic with the highest score (the first on a tie); an item is shown under it only."""
    wanted = [(score, -index, topic) for index, (topic, score) in enumerate(zip(topics, scores, strict=True))]
    subscribed = [item for item in wanted if subscription.topic_ok(item[2])]
    best = max(subscribed or wanted, default=None)
    return best[2] if best else "other"


def fired_evidence(article: Article) -> list[dict[str, Any]]:
    """The evidence spans of the terms that made a rule fire; a span marked ``role: context`` (a word
    the rule only needed nearby, such as "data" or "UK") is left out. Spans without a role count."""
    spans = [item for match in article.topics for item in (match.evidence or [])]
    return [item for item in spans if item.get("role", "anchor") != "context"]


def _entry(
    primary: Article, matched: Article, subscription: Subscription, names: dict[str, str], copies: Sequence[Article]
) -> Entry:
    """``primary`` gives the title, link, source and date; ``matched`` (a flagged copy when the
    primary itself was not flagged) the topics, evidence and reason."""
    topics = tuple(match.topic for match in matched.topics)
    scores = tuple(match.score for match in matched.topics)
    codes = tuple(about_codes(matched.countries))
    group_jurisdiction = next((c for c in codes if subscription.country_ok(c)), NO_JURISDICTION)
    evidence = fired_evidence(matched)
    terms = tuple(dict.fromkeys(str(item.get("term", "")) for item in evidence if item.get("term")))
    if not terms:  # no evidence stored: the hit's own term list
        terms = tuple(dict.fromkeys(term for match in matched.topics for term in match.terms))
    body = matched.text or matched.summary
    return Entry(
        article_ids=(matched.id, *(member.id for member in (primary, *copies) if member is not matched)),
        title=plain(primary.title) or plain(primary.canonical_url),
        url=safe_url(primary.url) or safe_url(primary.canonical_url),
        source=plain(names.get(primary.source_id, primary.source_id)),
        date=primary.published_at,
        found_at=primary.fetched_at,
        jurisdictions=codes,
        topics=topics,
        terms=tuple(plain(term) for term in terms),
        group_topic=best_topic(topics, scores, subscription),
        group_jurisdiction=group_jurisdiction,
        snippet=tuple(snippet(body, evidence if matched.text else (), terms)),
        reason=plain(matched.reason),
        scores=scores,
        also=tuple(
            Copy(plain(names.get(copy.source_id, copy.source_id)), safe_url(copy.url) or safe_url(copy.canonical_url))
            for copy in copies
            if copy is not primary
        ),
    )


def build_entries(
    session: Session, articles: Sequence[Article], subscription: Subscription, *, drop_copies_of: Set[str] = frozenset()
) -> list[Entry]:
    """One entry per story (``monitor.storage.stories``: the regulator's original leads, whichever
    copy was crawled first); a story whose original was already sent is dropped."""
    names = dict(session.execute(select(SourceRow.id, SourceRow.name)).all())
    kinds = dict(session.execute(select(SourceRow.id, SourceRow.kind)).all())
    candidate_ids = {article.id for article in articles}
    entries = []
    for story in stories_for(session, list(articles), kinds):
        if story.key in drop_copies_of:
            continue
        members = [story.primary, *story.copies]
        # The copy that brought the story into this digest carries the match: the primary, if it did.
        flagged = [m for m in members if m.id in candidate_ids]
        matched = story.primary if story.primary.id in candidate_ids else flagged[0]
        if not subscription.accepts(matched):
            continue
        entries.append(_entry(story.primary, matched, subscription, names, story.copies))
    return entries


def _originals_sent(session: Session, recipient: str, articles: Sequence[Article]) -> set[str]:
    """Canonical URLs of originals that ``recipient`` already got, so a late copy is not news."""
    wanted = {a.duplicate_of for a in articles if a.duplicate_of}
    if not wanted:
        return set()
    rows = session.execute(select(Article.id, Article.canonical_url).where(Article.canonical_url.in_(wanted))).all()
    sent = sent_since_flagged(session, recipient, [row.id for row in rows])
    return {row.canonical_url for row in rows if row.id in sent}


def limit(entries: list[Entry], max_items: int) -> Selection:
    """Newest first, at most ``max_items``; the rest is counted so the digest can say so."""
    ordered = sorted(entries, key=lambda e: (e.when is not None, e.when), reverse=True)
    kept = ordered[:max_items]
    ids = [article_id for entry in kept for article_id in entry.article_ids]
    return Selection(kept, len(ordered) - len(kept), list(dict.fromkeys(ids)))


def select_entries(
    session: Session,
    *,
    since: datetime | None,
    until: datetime,
    recipient: Recipient | None = None,
    max_items: int = 200,
) -> Selection:
    """The items a recipient (or, with None, everyone) gets for the window [since, until)."""
    articles = candidates(session, since=since, until=until)
    # Stories analysts judged not relevant, and items whose every topic a mute silences, stay out.
    hidden = hidden_ids(session, articles)
    articles = [a for a in articles if a.id not in hidden]
    drop: set[str] = set()
    if recipient is not None:
        sent = sent_since_flagged(session, recipient.email, [a.id for a in articles])
        articles = [a for a in articles if a.id not in sent]
        drop = _originals_sent(session, recipient.email, articles)
    return limit(build_entries(session, articles, Subscription.of(recipient), drop_copies_of=drop), max_items)


def entries_for(session: Session, article_ids: Sequence[int], recipient: Recipient | None) -> list[Entry]:
    """Rebuild the entries of a stored digest (a retry sends exactly what was committed)."""
    if not article_ids:
        return []
    articles = _load(session, select(Article).where(Article.id.in_(list(article_ids))).order_by(Article.id))
    entries = build_entries(session, articles, Subscription(), drop_copies_of=set())
    if recipient is not None:
        subscription = Subscription.of(recipient)
        entries = [_regroup(entry, subscription) for entry in entries]
    return sorted(entries, key=lambda e: (e.when is not None, e.when), reverse=True)


def _regroup(entry: Entry, subscription: Subscription) -> Entry:
    topic = best_topic(entry.topics, entry.scores, subscription)
    code = next((c for c in entry.jurisdictions if subscription.country_ok(c)), NO_JURISDICTION)
    return replace(entry, group_topic=topic, group_jurisdiction=code)
