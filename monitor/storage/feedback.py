"""Analysts' feedback: judgements (relevant / not relevant) and mutes (a source for a topic, a term).

Where feedback takes effect, and why there:

- A judgement is read where flagged items are shown: the digest (``monitor.digest.select``), the
  Atom feed (``monitor.export.atom``) and the web app leave out a story judged not relevant
  (``hidden_ids``). The flag itself stays: the judgement is the analyst's, the flag the rules'.
- A mute changes the flags: creating one rewrites the stored matches it concerns at once
  (``apply_mutes_to_stored``), ``monitor rematch`` applies every mute to what the matchers say
  (``Mutes.apply``), and the same readers also leave out an item whose every topic a mute
  silences, so that an article a crawl stores after the mute (the crawl does not read mutes)
  does not reach the digest either.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from monitor.errors import UsageError
from monitor.storage.matches import apply_match
from monitor.storage.models import Article, Judgement, Mute, SourceRow, TopicMatch
from monitor.storage.records import CountryRecord, MatchRecord, TopicRecord
from monitor.storage.text import clean_text
from monitor.storage.types import utcnow

RELEVANT = "relevant"
NOT_RELEVANT = "not_relevant"
VERDICTS = (RELEVANT, NOT_RELEVANT)
MUTE_SOURCE = "source"
MUTE_TERM = "term"
ANY_TOPIC = ""
REASON_CHARS = 1000
TERM_CHARS = 300
_CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def fold(term: str) -> str:
    """How a muted term is compared with the evidence's matched text: casefolded, single spaces."""
    return " ".join(term.casefold().split())


# ---------------------------------------------------------------------------------------------
# Judgements


def judge(session: Session, article_id: int, verdict: str, username: str, reason: str = "") -> Judgement:
    """Record (or replace) the verdict on an article, with the topics and rules it is flagged by now."""
    if verdict not in VERDICTS:
        raise UsageError(f"verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    article = session.get(Article, article_id, options=[selectinload(Article.topics)])
    if article is None:
        raise UsageError(f"no article {article_id}")
    topics = [match.topic for match in article.topics]
    rules = sorted({str(e.get("rule")) for m in article.topics for e in (m.evidence or []) if e.get("rule")})
    row = session.get(Judgement, article_id)
    if row is None:
        row = Judgement(article_id=article_id)
        session.add(row)
    row.verdict, row.username, row.judged_at = verdict, username, utcnow()
    row.reason = clean_text(reason.strip(), REASON_CHARS)
    row.topics, row.rules = topics, rules
    session.flush()
    return row


def clear_judgement(session: Session, article_id: int) -> None:
    session.execute(delete(Judgement).where(Judgement.article_id == article_id))


def judgements(session: Session, article_ids: Collection[int]) -> dict[int, Judgement]:
    """The verdicts on ``article_ids`` that have one."""
    found: dict[int, Judgement] = {}
    for chunk in _chunks(list(article_ids)):
        for row in session.scalars(select(Judgement).where(Judgement.article_id.in_(chunk))):
            found[row.article_id] = row
    return found


def all_judgements(session: Session) -> dict[int, dict[str, str]]:
    """Every verdict by article id, as ``monitor items --format jsonl`` exports it (a few per analyst-day)."""
    return {
        row.article_id: {
            "verdict": row.verdict,
            "reason": row.reason,
            "by": row.username,
            "at": row.judged_at.isoformat(),
        }
        for row in session.scalars(select(Judgement))
    }


def _not_relevant_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Of the story keys (canonical URLs of originals), those whose original was judged not relevant."""
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        query = (
            select(Article.canonical_url)
            .join(Judgement, Judgement.article_id == Article.id)
            .where(Article.canonical_url.in_(chunk), Judgement.verdict == NOT_RELEVANT)
        )
        found.update(session.scalars(query))
    return found


# ---------------------------------------------------------------------------------------------
# Mutes


@dataclass(frozen=True)
class Mutes:
    """Every mute, in the shape the filters need."""

    sources: frozenset[tuple[str, str]] = frozenset()  # (source id, topic)
    terms: frozenset[tuple[str, str]] = frozenset()  # (folded term, topic or ANY_TOPIC)

    def __bool__(self) -> bool:
        return bool(self.sources or self.terms)

    def term_muted(self, term: str, topic: str) -> bool:
        folded = fold(term)
        return (folded, topic) in self.terms or (folded, ANY_TOPIC) in self.terms

    def _topic(self, topic: TopicRecord, source_id: str) -> TopicRecord | None:
        if (source_id, topic.topic) in self.sources:
            return None
        evidence = [e for e in topic.evidence if not self.term_muted(str(e.get("term", "")), topic.topic)]
        terms = [t for t in topic.terms if not self.term_muted(t, topic.topic)]
        if topic.evidence and not evidence:
            return None  # every piece of evidence was a muted term
        if not topic.evidence and topic.terms and not terms:
            return None
        return TopicRecord(topic.topic, topic.score, terms, evidence)

    def apply(self, match: MatchRecord, source_id: str) -> MatchRecord:
        """``match`` without the topics a mute silences; flagged only while a topic is left.

        A topic keeps its score when other evidence is left: a mute removes evidence, it does
        not re-weigh what remains (``monitor rematch`` with an edited watchlist does).
        """
        if not self or not match.topics:
            return match
        topics = [kept for topic in match.topics if (kept := self._topic(topic, source_id)) is not None]
        if len(topics) == len(match.topics) and all(
            len(a.evidence) == len(b.evidence) and a.terms == b.terms for a, b in zip(topics, match.topics, strict=True)
        ):
            return match
        names = {topic.topic for topic in topics}
        reason = "; ".join(part for part in match.reason.split("; ") if part.split(":", 1)[0] in names)
        return replace(match, topics=topics, flagged=match.flagged and bool(topics), reason=reason)

    def silences(self, article: Article) -> bool:
        """True when the article is flagged and a mute silences every topic it is flagged for."""
        return bool(self) and article.flagged and not self.apply(record_of(article), article.source_id).flagged


def load_mutes(session: Session) -> Mutes:
    sources: set[tuple[str, str]] = set()
    terms: set[tuple[str, str]] = set()
    for kind, topic, value in session.execute(select(Mute.kind, Mute.topic, Mute.value)):
        (sources if kind == MUTE_SOURCE else terms).add((value, topic))
    return Mutes(frozenset(sources), frozenset(terms))


def list_mutes(session: Session) -> list[Mute]:
    return list(session.scalars(select(Mute).order_by(Mute.created_at.desc(), Mute.id.desc())))


def add_mute(session: Session, kind: str, value: str, topic: str, username: str) -> Mute:
    """Create a mute (or return the same one made before); a source mute needs a topic."""
    if kind == MUTE_SOURCE:
        if not topic:
            raise UsageError("muting a source needs the topic to mute it for")
        if session.get(SourceRow, value) is None:
            raise UsageError(f"no source {value!r}")
    elif kind == MUTE_TERM:
        value = fold(value)[:TERM_CHARS]
        if not value:
            raise UsageError("an empty term cannot be muted")
    else:
        raise UsageError(f"mute kind {kind!r}: use {MUTE_SOURCE} or {MUTE_TERM}")
    existing = session.scalar(select(Mute).where(Mute.kind == kind, Mute.topic == topic, Mute.value == value))
    if existing is not None:
        return existing
    mute = Mute(kind=kind, topic=topic, value=value, username=username)
    session.add(mute)
    session.flush()
    return mute


def remove_mute(session: Session, mute_id: int) -> Mute:
    mute = session.get(Mute, mute_id)
    if mute is None:
        raise UsageError(f"no mute {mute_id}")
    session.delete(mute)
    session.flush()
    return mute


def record_of(article: Article) -> MatchRecord:
    """The stored match of ``article`` (topics, countries, flag, reason) as a record."""
    return MatchRecord(
        topics=[TopicRecord(t.topic, t.score, list(t.terms or []), list(t.evidence or [])) for t in article.topics],
        countries=[CountryRecord(c.code, c.rank, c.mentions, c.focus) for c in article.countries],
        flagged=bool(article.flagged),
        reason=article.reason or "",
    )


def mute_candidates(session: Session, mute: Mute) -> list[int]:
    """Ids of flagged articles a mute can concern: the source's for that topic, or those with the term."""
    query = select(Article.id).where(Article.flagged.is_(True))
    if mute.kind == MUTE_SOURCE:
        query = query.where(
            Article.source_id == mute.value,
            Article.id.in_(select(TopicMatch.article_id).where(TopicMatch.topic == mute.topic)),
        )
    else:
        # Narrowed to the texts that name the term (the read side catches a spelling LIKE misses).
        query = query.where(lifted_condition(MUTE_TERM, mute.value))
        if mute.topic:
            query = query.where(Article.id.in_(select(TopicMatch.article_id).where(TopicMatch.topic == mute.topic)))
    return list(session.scalars(query.order_by(Article.id)))


def lifted_condition(kind: str, value: str) -> ColumnElement[bool]:
    """The articles a lifted mute may flag again, to re-match: the source's, or those naming the term.

    The term test is a case-insensitive LIKE; SQLite folds ASCII only, so the capitalised and
    upper-case spellings are tried too. What it still misses, ``monitor rematch`` catches.
    """
    if kind == MUTE_SOURCE:
        return Article.source_id == value
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    spellings = {escaped, escaped[:1].upper() + escaped[1:], escaped.upper(), escaped.title()}
    return or_(
        *(
            column.ilike(f"%{spelling}%", escape="\\")
            for spelling in spellings
            for column in (Article.title, Article.text)
        )
    )


def apply_mutes_to_stored(session: Session, article_ids: Sequence[int], mutes: Mutes) -> list[int]:
    """Rewrite the stored matches of ``article_ids`` without what ``mutes`` silence; ids whose flag went."""
    unflagged: list[int] = []
    now = utcnow()
    for chunk in _chunks(list(article_ids)):
        articles = session.scalars(
            select(Article)
            .where(Article.id.in_(chunk))
            .options(selectinload(Article.topics), selectinload(Article.countries))
        )
        for article in list(articles):
            record = record_of(article)
            muted = mutes.apply(record, article.source_id)
            if muted is record:
                continue
            if article.flagged and not muted.flagged:
                unflagged.append(article.id)
            apply_match(session, article, muted, now, revised=False)
    return unflagged


# ---------------------------------------------------------------------------------------------
# What readers leave out


def hidden_ids(session: Session, articles: Sequence[Article], mutes: Mutes | None = None) -> set[int]:
    """Ids of ``articles`` not to show: their story was judged not relevant, or mutes silence them.

    A story is judged through its original: a copy of an article judged not relevant is hidden too.
    """
    if not articles:
        return set()
    mutes = load_mutes(session) if mutes is None else mutes
    keys = {article.duplicate_of or article.canonical_url for article in articles}
    judged_keys = _not_relevant_keys(session, keys)
    own = {
        row.article_id for row in judgements(session, [a.id for a in articles]).values() if row.verdict == NOT_RELEVANT
    }
    return {
        article.id
        for article in articles
        if article.id in own
        or (article.duplicate_of or article.canonical_url) in judged_keys
        or mutes.silences(article)
    }


# ---------------------------------------------------------------------------------------------
# Rule quality


@dataclass
class QualityRow:
    """Judgements of the flags of one topic or one rule."""

    name: str
    flags: int = 0  # articles flagged in the window with this topic (rule) now
    judged: int = 0
    relevant: int = 0
    not_relevant: int = 0

    @property
    def precision(self) -> float | None:
        """Share of the judged flags found relevant; None before any judgement."""
        return self.relevant / self.judged if self.judged else None


@dataclass
class QualityReport:
    since: datetime | None
    until: datetime | None
    topics: list[QualityRow] = field(default_factory=list)
    rules: list[QualityRow] = field(default_factory=list)

    @property
    def worst_rules(self) -> list[QualityRow]:
        """Rules firing most on items judged not relevant, most first; rules with none left out."""
        rows = [row for row in self.rules if row.not_relevant]
        return sorted(rows, key=lambda r: (-r.not_relevant, r.precision or 0.0, r.name))


def _window(
    column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    since: datetime | None,
    until: datetime | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column < until)
    return conditions


def quality_report(session: Session, *, since: datetime | None = None, until: datetime | None = None) -> QualityReport:
    """Per topic and per rule: judgements made in [since, until), and the flags raised in it.

    A judgement counts for the topics and rules that flagged the article when it was judged (a
    later rematch or mute does not rewrite the analyst's verdict on what the rules did then).
    """
    topics: dict[str, QualityRow] = {}
    rules: dict[str, QualityRow] = {}
    for verdict, topic_names, rule_names in session.execute(
        select(Judgement.verdict, Judgement.topics, Judgement.rules).where(*_window(Judgement.judged_at, since, until))
    ):
        for table, names in ((topics, topic_names or []), (rules, rule_names or [])):
            for name in names:
                row = table.setdefault(name, QualityRow(name))
                row.judged += 1
                if verdict == RELEVANT:
                    row.relevant += 1
                else:
                    row.not_relevant += 1
    flagged = _window(Article.flagged_at, since, until)
    query = (
        select(TopicMatch.topic, func.count(TopicMatch.id))
        .join(Article, Article.id == TopicMatch.article_id)
        .where(Article.flagged.is_(True), *flagged)
        .group_by(TopicMatch.topic)
    )
    for name, count in session.execute(query):
        topics.setdefault(name, QualityRow(name)).flags = int(count)
    evidence_query = (
        select(TopicMatch.article_id, TopicMatch.evidence)
        .join(Article, Article.id == TopicMatch.article_id)
        .where(Article.flagged.is_(True), *flagged)
        .execution_options(yield_per=_CHUNK)
    )
    seen: set[tuple[int, str]] = set()
    for article_id, evidence in session.execute(evidence_query):
        for item in evidence or []:
            rule = item.get("rule") if isinstance(item, dict) else None
            if rule and (article_id, rule) not in seen:
                seen.add((article_id, rule))
                rules.setdefault(str(rule), QualityRow(str(rule))).flags += 1
    return QualityReport(
        since,
        until,
        sorted(topics.values(), key=lambda r: r.name),
        sorted(rules.values(), key=lambda r: r.name),
    )
