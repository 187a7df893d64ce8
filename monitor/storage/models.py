"""SQLAlchemy 2 models: the storage contract shared by the pipeline, the digest and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from monitor.storage.types import UTCDateTime, utcnow

# Lengths are generous but bounded so that both backends index and compare them the same way.
URL_MAX = 2048
TITLE_MAX = 1000


class Base(DeclarativeBase):
    pass


class SourceRow(Base):
    """A configured source (or ``adhoc`` for one-off crawls)."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), default="other")
    jurisdiction: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))


class Endpoint(Base):
    """A feed, listing page or sitemap of a source, with what is needed for conditional GET and health."""

    __tablename__ = "endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(URL_MAX), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # feed | listing | sitemap | page
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    # Validators seen by a run that has not finished yet, and that run. They become
    # ``etag``/``last_modified`` only when that same run finishes with every article of the
    # source stored: a run killed after polling a feed but before storing its articles must not
    # make a later run's conditional GET answer 304 and lose those articles. A ``pending_run_id``
    # left set is a crawl of this endpoint that never completed: the next run pages its listing
    # on past a page with nothing new.
    pending_etag: Mapped[str | None] = mapped_column(String(512))
    pending_last_modified: Mapped[str | None] = mapped_column(String(128))
    pending_run_id: Mapped[int | None] = mapped_column(Integer)
    # When a run last completed this endpoint (its validators promoted).
    last_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    error_class: Mapped[str | None] = mapped_column(String(32))
    # The last failure's cause; after a success, its note (what it left for later runs), or None.
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    newest_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Article(Base):
    """One article, unique by canonical URL; writes are upserts on that key."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(URL_MAX), unique=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(16), default="html")  # html | pdf
    extraction_status: Mapped[str] = mapped_column(String(16), default="ok")
    date_status: Mapped[str | None] = mapped_column(String(32))  # e.g. future_clamped
    content_hash: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    duplicate_of: Mapped[str | None] = mapped_column(String(URL_MAX), index=True)
    # MinHash signature of the text (``monitor.dedupe.similarity``), for near-duplicate lookup.
    fingerprint: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The page (listing, article, feed or sitemap) the link to this item was found on: for a
    # document (PDF, DOCX), the press release or listing that cites it.
    found_on: Mapped[str | None] = mapped_column(String(URL_MAX))

    topics: Mapped[list[TopicMatch]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="TopicMatch.score.desc()"
    )
    countries: Mapped[list[ArticleCountry]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleCountry.rank"
    )


class TopicMatch(Base):
    """A topic rule that fired on an article, with the evidence an analyst needs to trust it."""

    __tablename__ = "topic_matches"
    __table_args__ = (UniqueConstraint("article_id", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[float] = mapped_column(Float)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship(back_populates="topics")


class ArticleCountry(Base):
    """A jurisdiction an article mentions; ``rank`` 0 is the most salient."""

    __tablename__ = "article_countries"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    focus: Mapped[bool] = mapped_column(Boolean, default=False)

    article: Mapped[Article] = relationship(back_populates="countries")


Index("ix_article_countries_code", ArticleCountry.code)


class Run(Base):
    """One crawl run, with the Scrapy stats that say what happened."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | ok | partial | failed
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    extracted: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who runs it, for people (``host``, ``pid``), and the lease that says whether it still does:
    # a lock its process holds while it lives (``monitor.storage.lock.crawl_locks``). A 'running'
    # run whose lease is free has died; one with no lease (older rows) is presumed dead.
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    lease: Mapped[str | None] = mapped_column(String(40))
    # The cluster job (``jobs``) this run carried out, if any.
    job_id: Mapped[int | None] = mapped_column(Integer, index=True)


class RunSource(Base):
    """A source that a run set out to crawl, and whether that run crawled it completely.

    ``complete``: the run finished, every entry point of the source answered and every article
    they named was stored. ``incomplete``: it did not (an article or entry point failed, the run
    hit its time limit or failed). ``running``: the run is under way, or was killed.
    """

    __tablename__ = "run_sources"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | complete | incomplete


class Job(Base):
    """A batch of sources for one crawl process, written by ``monitor dispatch``; Celery carries only its id.

    ``state``: ``queued`` (written, sent to the broker), ``running`` (a worker started its crawl;
    ``attempts`` counts the starts), then ``done`` (the crawl finished, ``run_id`` says how),
    ``skipped`` (another crawl held its hosts), ``failed`` or ``lost`` (its worker vanished).
    ``keys`` are the politeness keys (registrable domains) of its sources: no other outstanding
    job shares one.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_id: Mapped[int | None] = mapped_column(Integer)
    exit_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class JobSource(Base):
    """A source of a job: which job last took a source, and whether one is outstanding."""

    __tablename__ = "job_sources"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Digest(Base):
    """One message of one subscription and window; committed before sending so it is never sent twice.

    ``recipient`` is the subscription's key (a ``recipients`` e-mail address or a ``subscriptions``
    name); ``cadence`` is daily, weekly, immediate, or ``alert`` (a source-health message about
    ``source_id``, ``alert_state`` failing, silent or recovered).
    """

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("recipient", "cadence", "source_id", "window_end", name="uq_digests_subscription_window"),
        Index("ix_digests_recipient_cadence", "recipient", "cadence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed | skipped
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    cadence: Mapped[str] = mapped_column(String(16), default="daily", server_default="daily")
    source_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    alert_state: Mapped[str | None] = mapped_column(String(16))
    # When a pending row may be tried again: exponential backoff after each temporary failure.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UrlAlias(Base):
    """Another canonical URL of a stored article: a link that redirected to it, or that its page's
    ``rel=canonical`` names (or the page named by it). A link to an alias counts as stored while
    the article it points to is stored, so the next crawl does not fetch it again."""

    __tablename__ = "url_aliases"

    url: Mapped[str] = mapped_column(String(URL_MAX), primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(URL_MAX), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PendingDocument(Base):
    """A document (PDF, DOCX) a stored article cites that is not stored yet.

    Written before the citing article is stored, removed once the document is (or is given up):
    a stored article is never read again, so without this row a run that stopped before the
    document's fetch, or a fetch that failed, would lose the document for good.
    """

    __tablename__ = "pending_documents"

    canonical_url: Mapped[str] = mapped_column(String(URL_MAX), primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    found_on: Mapped[str | None] = mapped_column(String(URL_MAX))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Runs whose fetch of it failed (or whose pipeline failed on it); given up at a cap.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))


class PrunedUrl(Base):
    """A canonical URL whose article ``monitor prune`` removed: never fetched and stored again."""

    __tablename__ = "pruned_urls"

    canonical_url: Mapped[str] = mapped_column(String(URL_MAX), primary_key=True)
    pruned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestItem(Base):
    __tablename__ = "digest_items"

    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class User(Base):
    """An account of the web app (``monitor serve``); ``role`` is ``analyst`` (reads, judges) or ``viewer``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="viewer")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Judgement(Base):
    """An analyst's verdict on a flagged article: ``relevant`` or ``not_relevant``; the latest one counts.

    ``username`` is kept as text, not a foreign key: a judgement outlives the account that made it.
    """

    __tablename__ = "judgements"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str] = mapped_column(String(64))
    judged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The topics the article was flagged for when judged: what the rule report credits or blames.
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)


class Mute(Base):
    """A muted source for a topic (``kind`` source) or a muted term (``kind`` term): it stops flagging.

    ``topic`` "" means every topic (terms only). ``value`` is the source id, or the term casefolded.
    """

    __tablename__ = "mutes"
    __table_args__ = (UniqueConstraint("kind", "topic", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[str] = mapped_column(String(300))
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The web app's item list: flagged articles, newest first (``published_at DESC``), under facets.
# Without it SQLite picks ``ix_articles_flagged`` and sorts every flagged article (100 ms at 100,000).
Index("ix_articles_flagged_published", Article.flagged, Article.published_at)


class AppSecret(Base):
    """Secrets the web app keeps in the database (the session signing key): one for every server process."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
