"""Reads and writes of the crawl side: articles (upserts), endpoints (conditional GET, health), runs."""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, ParamSpec, TypeVar

from sqlalchemy import Engine, Executable, Insert, Table, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import StorageError
from monitor.stats import (
    ENDPOINTS_FAILED,
    FINISH_REASON,
    FINISHED,
    ITEMS_EXTRACTED,
    ITEMS_FLAGGED,
    ITEMS_STORED,
    PAGES_FETCHED,
    PAGES_NOT_MODIFIED,
)
from monitor.storage.engine import first_line
from monitor.storage.matches import apply_match, insert_matches
from monitor.storage.models import (
    Article,
    DigestItem,
    Endpoint,
    PendingDocument,
    PrunedUrl,
    Run,
    RunSource,
    SourceRow,
    UrlAlias,
)
from monitor.storage.records import ArticleRecord, CitedDocument, EndpointResult
from monitor.storage.text import clean_text, clean_title, clean_url
from monitor.storage.types import utcnow

log = logging.getLogger(__name__)

Outcome = Literal["inserted", "updated", "unchanged"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")

# Values bound in one ``IN (...)``: well under SQLite's and psycopg's parameter limits.
IN_CHUNK = 500


def _chunks(values: list[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _storage_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """The repository's boundary: a database error leaves it as ``StorageError`` (one line, the
    driver's message; the SQLAlchemy error stays its ``__cause__``), which the CLI reports."""

    @functools.wraps(method)
    def translated(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except SQLAlchemyError as exc:
            raise StorageError(f"database error ({method.__name__}): {first_line(exc)}") from exc

    return translated


@dataclass(frozen=True)
class EndpointState:
    etag: str | None
    last_modified: str | None


class Repository:
    """Reads and writes over one database; every method opens and closes its own short transaction.

    Methods raise ``StorageError`` for any database error. ``sessions`` is there for read models
    (digest, search, export) that build their own queries.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @property
    def engine(self) -> Engine:
        engine: Engine = self.sessions.kw["bind"]
        return engine

    # -- sources -------------------------------------------------------------------------
    @_storage_errors
    def ensure_source(
        self,
        source_id: str,
        name: str,
        kind: str = "other",
        jurisdiction: str | None = None,
        language: str | None = None,
    ) -> None:
        values = {"name": name, "kind": kind, "jurisdiction": jurisdiction, "language": language}
        try:
            self._ensure_source(source_id, values)
        except IntegrityError:
            # Two runs started at once both inserted the source; the row exists now, update it.
            self._ensure_source(source_id, values)

    def _ensure_source(self, source_id: str, values: dict[str, str | None]) -> None:
        with self.sessions.begin() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                session.add(SourceRow(id=source_id, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    # -- articles ------------------------------------------------------------------------
    @_storage_errors
    def stored_urls(self, canonical_urls: Iterable[str]) -> set[str]:
        urls = list(dict.fromkeys(canonical_urls))
        found: set[str] = set()
        with self.sessions() as session:
            for batch in _chunks(urls):
                chunk = [clean_url(url) for url in batch]
                found.update(session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(chunk))))
                # A pruned article counts as stored: a sitemap listing it must not bring it back.
                found.update(session.scalars(select(PrunedUrl.canonical_url).where(PrunedUrl.canonical_url.in_(chunk))))
                # An alias (a link that redirected to a stored article, or the other form its
                # rel=canonical names) counts as stored while its article does.
                aliases = dict(
                    session.execute(
                        select(UrlAlias.url, UrlAlias.canonical_url).where(
                            UrlAlias.url.in_([url for url in chunk if url not in found])
                        )
                    ).all()
                )
                if aliases:
                    targets = set(aliases.values())
                    kept = set(session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(targets))))
                    kept.update(
                        session.scalars(select(PrunedUrl.canonical_url).where(PrunedUrl.canonical_url.in_(targets)))
                    )
                    found.update(alias for alias, target in aliases.items() if target in kept)
        return found

    @_storage_errors
    def record_aliases(self, aliases: dict[str, str]) -> None:
        """Remember ``alias -> canonical URL`` pairs (both canonical URLs); an alias already known keeps
        its first target. Whether an alias counts as stored is decided when it is looked up."""
        pairs = {clean_url(alias): clean_url(target) for alias, target in aliases.items() if alias != target}
        if not pairs:
            return
        try:
            with self.sessions.begin() as session:
                known = set(session.scalars(select(UrlAlias.url).where(UrlAlias.url.in_(list(pairs)))))
                session.add_all(
                    UrlAlias(url=alias, canonical_url=target) for alias, target in pairs.items() if alias not in known
                )
        except IntegrityError:  # a concurrent run recorded the same alias first: that one stays
            log.debug("aliases %s recorded concurrently", sorted(pairs))

    def is_stored(self, canonical_url: str) -> bool:
        return bool(self.stored_urls([canonical_url]))

    @_storage_errors
    def stored_fetch_times(self, canonical_urls: Iterable[str]) -> dict[str, datetime]:
        """canonical URL -> when the stored copy was fetched, for those of ``canonical_urls`` stored."""
        urls = list(dict.fromkeys(canonical_urls))
        found: dict[str, datetime] = {}
        with self.sessions() as session:
            for chunk in _chunks(urls):
                rows = session.execute(
                    select(Article.canonical_url, Article.fetched_at).where(Article.canonical_url.in_(chunk))
                )
                found.update((url, fetched) for url, fetched in rows if fetched is not None)
        return found

    @_storage_errors
    def upsert_article(self, record: ArticleRecord) -> Outcome:
        """Insert or update by canonical URL; a concurrent insert of the same URL becomes an update."""
        try:
            return self._upsert(record)
        except IntegrityError:
            log.debug("concurrent insert of %s; retrying as update", record.canonical_url)
            return self._upsert(record)

    def _upsert(self, record: ArticleRecord) -> Outcome:
        canonical = clean_url(record.canonical_url)
        now = utcnow()
        values = _article_values(record, now)
        signature = _signature(record, values["text"])
        new_row = {
            **values,
            "canonical_url": canonical,
            "fingerprint": signature,
            "revision": 1,
            "flagged_at": now if record.flagged else None,
        }
        # A connection, not a session, for the common case, a new URL: one INSERT ... ON CONFLICT
        # DO NOTHING RETURNING id and an executemany each for topics and countries. The ORM's
        # select, unit of work and identity map cost more than the SQL itself (store was 2.6 ms of
        # a page in bench_pipeline.py, 5.6 ms an article in the crawl process).
        with self.engine.begin() as connection:
            statement = _insert_new_article(connection.dialect.name)
            for _attempt in range(_UPSERT_ATTEMPTS):
                article_id = connection.execute(statement, new_row).scalar()
                if article_id is not None:
                    insert_matches(connection, article_id, record)
                    return "inserted"
                # Stored already, or a concurrent run has just stored it: a revision, rare enough
                # for the ORM, in the same transaction.
                with Session(bind=connection) as session:
                    outcome = self._revise(session, canonical, record, values, signature, now)
                if outcome is not None:
                    return outcome
                # Pruned between the two statements (PostgreSQL, read committed): insert again.
        raise StorageError(f"upsert of {canonical} conflicted {_UPSERT_ATTEMPTS} times with no row to revise")

    @staticmethod
    def _revise(
        session: Session,
        canonical: str,
        record: ArticleRecord,
        values: dict[str, Any],
        signature: bytes | None,
        now: datetime,
    ) -> Outcome | None:
        """Update the stored article at ``canonical``; None when there is none (any more)."""
        row = session.scalar(select(Article).where(Article.canonical_url == canonical))
        if row is None:
            return None
        if record.content_hash and row.content_hash == record.content_hash:
            return "unchanged"
        for key, value in values.items():
            if key in ("flagged", "reason"):  # written by apply_match, which needs the old ones
                continue
            if key == "found_on" and value is None:  # a revision fetched from nowhere keeps its citing page
                continue
            setattr(row, key, value)
        row.fingerprint = signature
        row.revision += 1
        row.updated_at = now
        # A revised article is news again only when what it is about changed.
        apply_match(session, row, record, now, revised=True)
        return "updated"

    # -- cited documents not stored yet ------------------------------------------------------
    @_storage_errors
    def remember_documents(self, documents: Iterable[CitedDocument]) -> None:
        """Keep the documents a page cites until they are stored: written before the page is, since
        a stored page is never read again. A document already pending keeps its first record (also
        when a concurrent run writes it first: ``ON CONFLICT DO NOTHING``, row by row)."""
        now = utcnow()
        rows: dict[str, dict[str, Any]] = {}
        for document in documents:
            key = clean_url(document.canonical_url)
            rows.setdefault(
                key,
                {
                    "canonical_url": key,
                    "url": clean_url(document.url),
                    "source_id": document.source_id,
                    "found_on": clean_url(document.found_on) if document.found_on else None,
                    "first_seen": now,
                    "failures": 0,
                },
            )
        if not rows:
            return
        table = PendingDocument.__table__
        assert isinstance(table, Table)  # a declarative model's table  # noqa: S101
        with self.engine.begin() as connection:
            connection.execute(_insert_ignoring_conflicts(connection.dialect.name, table), list(rows.values()))

    @_storage_errors
    def pending_documents(self, source_ids: Collection[str]) -> list[CitedDocument]:
        """The documents of these sources still to fetch, oldest first."""
        if not source_ids:
            return []
        with self.sessions() as session:
            rows = session.scalars(
                select(PendingDocument)
                .where(PendingDocument.source_id.in_(list(source_ids)))
                .order_by(PendingDocument.first_seen, PendingDocument.canonical_url)
            )
            return [
                CitedDocument(row.canonical_url, row.url, row.source_id, row.found_on, row.failures, row.last_error)
                for row in rows
            ]

    @_storage_errors
    def forget_documents(self, canonical_urls: Iterable[str]) -> None:
        """Stored, or given up: no longer to fetch."""
        keys = list(dict.fromkeys(clean_url(url) for url in canonical_urls))
        if not keys:
            return
        with self.sessions.begin() as session:
            for chunk in _chunks(keys):
                session.execute(delete(PendingDocument).where(PendingDocument.canonical_url.in_(chunk)))

    @_storage_errors
    def document_failed(self, canonical_url: str, error: str) -> int:
        """Count one more failed run for a pending document; its failures so far (0: not pending)."""
        key = clean_url(canonical_url)
        with self.sessions.begin() as session:
            row = session.get(PendingDocument, key)
            if row is None:
                return 0
            row.failures += 1
            row.last_error = clean_text(error, 1000)
            return row.failures

    # -- endpoints -----------------------------------------------------------------------
    @_storage_errors
    def endpoint_state(self, url: str) -> EndpointState | None:
        with self.sessions() as session:
            row = session.scalar(select(Endpoint).where(Endpoint.url == url))
            return None if row is None else EndpointState(row.etag, row.last_modified)

    @_storage_errors
    def record_endpoint(self, result: EndpointResult) -> None:
        """Store one fetch outcome; failures count up, a success resets the count.

        A success within a run (``result.run_id``) leaves the validators pending for that run: see
        ``finish_run``. A probe (no run id) records health only.
        """
        now = utcnow()
        with self.sessions.begin() as session:
            row = session.scalar(select(Endpoint).where(Endpoint.url == result.url))
            if row is None:
                row = Endpoint(
                    source_id=result.source_id, url=result.url, kind=result.kind, consecutive_failures=0, items_seen=0
                )
                session.add(row)
            row.kind = result.kind
            row.last_status = result.status
            row.last_checked_at = now
            if result.error_class:
                row.error_class = result.error_class
                row.last_error = clean_text(result.error, 1000)
                row.consecutive_failures = (row.consecutive_failures or 0) + 1
                return
            row.error_class = None
            row.last_error = clean_text(result.note, 1000) or None  # a success's note, if any
            row.consecutive_failures = 0
            row.last_success_at = now
            if result.run_id is not None:
                row.pending_run_id = result.run_id
                if result.status == 304:
                    # Unchanged since the validators we sent: they stay the ones to send.
                    row.pending_etag, row.pending_last_modified = row.etag, row.last_modified
                else:
                    row.pending_etag = clean_text(result.etag, 512) or None
                    row.pending_last_modified = clean_text(result.last_modified, 128) or None
            if result.status != 304:
                row.items_seen = result.items_seen
            if result.newest_item_at and (row.newest_item_at is None or result.newest_item_at > row.newest_item_at):
                row.newest_item_at = result.newest_item_at

    @_storage_errors
    def unfinished_endpoints(self, source_ids: Collection[str] | None = None) -> set[str]:
        """URLs of endpoints whose last crawl began and never completed (killed, timed out, or an
        article behind it was not stored): their listings must page on past a page with nothing new."""
        query = select(Endpoint.url).where(Endpoint.pending_run_id.is_not(None))
        with self.sessions() as session:
            if source_ids is None:
                return set(session.scalars(query))
            found: set[str] = set()
            for chunk in _chunks(list(source_ids)):
                found.update(session.scalars(query.where(Endpoint.source_id.in_(chunk))))
            return found

    @_storage_errors
    def endpoints(self) -> list[Endpoint]:
        with self.sessions() as session:
            return list(session.scalars(select(Endpoint).order_by(Endpoint.source_id, Endpoint.url)))

    # -- runs ----------------------------------------------------------------------------
    @_storage_errors
    def start_run(
        self,
        command: str,
        source_ids: Collection[str] = (),
        *,
        lease: str | None = None,
        job_id: int | None = None,
    ) -> int:
        """Record a new run and the sources it covers, and mark the runs that died as interrupted.

        ``lease`` is the token of the lock the caller holds while the run lives
        (``monitor.storage.lock.crawl_locks``); other runs still 'running' are left alone unless
        their lease is free, so concurrent runs never interrupt each other. A run started without
        a lease (a test, a row from before leases) is presumed dead by the next start.
        """
        with self.sessions.begin() as session:
            _interrupt_dead(session)
            run = Run(
                command=command,
                started_at=utcnow(),
                status="running",
                stats={},
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                lease=lease,
                job_id=job_id,
            )
            session.add(run)
            session.flush()
            unique = list(dict.fromkeys(source_ids))
            if unique:
                session.execute(
                    insert(RunSource), [{"run_id": run.id, "source_id": sid, "status": "running"} for sid in unique]
                )
            return run.id

    @_storage_errors
    def interrupt_dead_runs(self) -> list[int]:
        """Mark 'running' runs whose lease is free as interrupted (their sources incomplete); their ids."""
        with self.sessions.begin() as session:
            return _interrupt_dead(session)

    @_storage_errors
    def finish_run(
        self,
        run_id: int,
        status: str,
        stats: dict[str, Any],
        *,
        incomplete_sources: Collection[str] = (),
        failed_sources: Collection[str] = (),
    ) -> None:
        """Record how the run ended and promote the validators that it, and only it, left pending.

        A crawl that finished (not killed, failed or cut by its time limit) promotes the pending
        validators of the endpoints it fetched itself, except for ``incomplete_sources`` (an
        article or listing page of theirs was not stored): the next run may then send them and
        take a 304 as "nothing new". Validators another run left pending are never touched here.
        A covered source is ``complete`` when it is in neither set.
        """
        crawl_finished = status in ("ok", "partial") and stats.get(FINISH_REASON) == FINISHED
        blocked = set(incomplete_sources)
        unfinished = blocked | set(failed_sources)
        now = utcnow()
        with self.sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is None:
                return
            run.finished_at = now
            run.status = status
            run.fetched = int(stats.get(PAGES_FETCHED, 0))
            run.not_modified = int(stats.get(PAGES_NOT_MODIFIED, 0))
            run.failed = int(stats.get(ENDPOINTS_FAILED, 0))
            run.extracted = int(stats.get(ITEMS_EXTRACTED, 0))
            run.stored = int(stats.get(ITEMS_STORED, 0))
            run.flagged = int(stats.get(ITEMS_FLAGGED, 0))
            run.stats = {key: value for key, value in stats.items() if isinstance(value, int | float | str)}
            covered = RunSource.run_id == run_id
            if not crawl_finished:
                session.execute(update(RunSource).where(covered).values(status="incomplete"))
                return
            session.execute(
                update(Endpoint)
                .where(Endpoint.pending_run_id == run_id, Endpoint.source_id.not_in(blocked))
                .values(
                    etag=Endpoint.pending_etag,
                    last_modified=Endpoint.pending_last_modified,
                    pending_etag=None,
                    pending_last_modified=None,
                    pending_run_id=None,
                    last_complete_at=now,
                )
            )
            session.execute(
                update(RunSource).where(covered, RunSource.source_id.in_(unfinished)).values(status="incomplete")
            )
            session.execute(
                update(RunSource).where(covered, RunSource.source_id.not_in(unfinished)).values(status="complete")
            )

    @_storage_errors
    def last_complete_crawls(self) -> dict[str, datetime]:
        """source id -> when the last run that crawled it completely finished."""
        with self.sessions() as session:
            rows = session.execute(
                select(RunSource.source_id, func.max(Run.finished_at))
                .join(Run, Run.id == RunSource.run_id)
                .where(RunSource.status == "complete")
                .group_by(RunSource.source_id)
            )
            return {source_id: finished for source_id, finished in rows if finished is not None}

    # -- near duplicates -----------------------------------------------------------------
    @_storage_errors
    def fingerprints(self, since: datetime) -> list[tuple[str, str | None, bytes]]:
        """(canonical_url, duplicate_of, fingerprint) of articles fetched since ``since``, oldest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(Article.canonical_url, Article.duplicate_of, Article.fingerprint)
                .where(Article.fetched_at >= since, Article.fingerprint.is_not(None))
                .order_by(Article.fetched_at, Article.id)
            )
            # The query keeps only rows with a fingerprint.
            return [(url, duplicate_of, data) for url, duplicate_of, data in rows if data is not None]

    @_storage_errors
    def source_kinds(self) -> dict[str, str]:
        with self.sessions() as session:
            return {source_id: kind for source_id, kind in session.execute(select(SourceRow.id, SourceRow.kind))}

    # -- retention -----------------------------------------------------------------------
    @_storage_errors
    def prune(self, older_than: datetime, *, dry_run: bool = False) -> int:
        """Remove unflagged articles published (or, undated, fetched) before ``older_than``.

        Kept: flagged articles with their evidence, articles a digest listed, and the first copy of
        a story whose later copy is kept. A removed URL is remembered so that it is not refetched.
        """
        age = func.coalesce(Article.published_at, Article.fetched_at)
        kept_copy = select(Article.duplicate_of).where(Article.duplicate_of.is_not(None), Article.flagged.is_(True))
        in_digest = select(DigestItem.article_id)
        condition = and_(
            Article.flagged.is_(False),
            age < older_than,
            Article.canonical_url.not_in(kept_copy.scalar_subquery()),
            Article.id.not_in(in_digest.scalar_subquery()),
        )
        with self.sessions.begin() as session:
            doomed = list(session.execute(select(Article.id, Article.canonical_url).where(condition)))
            if dry_run:
                return len(doomed)
            now = utcnow()
            for chunk in _chunks(doomed):
                urls = [url for _id, url in chunk]
                known = set(session.scalars(select(PrunedUrl.canonical_url).where(PrunedUrl.canonical_url.in_(urls))))
                session.add_all(PrunedUrl(canonical_url=url, pruned_at=now) for url in urls if url not in known)
                # Topic matches and countries go with the article (ON DELETE CASCADE).
                session.execute(delete(Article).where(Article.id.in_([id_ for id_, _url in chunk])))
            return len(doomed)


def _interrupt_dead(session: Session) -> list[int]:
    """In the caller's transaction: the 'running' runs whose holder is gone become 'interrupted'."""
    from monitor.storage.lock import lease_alive

    connection = session.connection()
    running = session.execute(select(Run.id, Run.lease).where(Run.status == "running")).all()
    dead = [run_id for run_id, lease in running if not lease_alive(connection, lease)]
    for chunk in _chunks(dead):
        session.execute(
            update(RunSource)
            .where(RunSource.run_id.in_(chunk), RunSource.status == "running")
            .values(status="incomplete")
        )
        session.execute(update(Run).where(Run.id.in_(chunk)).values(status="interrupted"))
    if dead:
        log.info("runs %s died before they finished: marked interrupted", ", ".join(map(str, dead)))
    return dead


def _article_values(record: ArticleRecord, now: datetime) -> dict[str, Any]:
    """The article's columns from ``record``, cleaned; the same for an insert and a revision."""
    return {
        "url": clean_url(record.url),
        "source_id": record.source_id,
        "title": clean_title(record.title),
        "text": clean_text(record.text),
        "summary": clean_text(record.summary, 2000),
        "published_at": record.published_at,
        "fetched_at": record.fetched_at or now,
        "language": record.language,
        "content_type": record.content_type,
        "extraction_status": record.extraction_status,
        "date_status": record.date_status,
        "content_hash": record.content_hash,
        "flagged": record.flagged,
        "reason": clean_text(record.reason, 2000),
        "duplicate_of": clean_url(record.duplicate_of) if record.duplicate_of else None,
        "found_on": clean_url(record.found_on) if record.found_on else None,
    }


def _signature(record: ArticleRecord, text: str) -> bytes | None:
    """The fingerprint to store for ``text`` (the cleaned ``record.text``)."""
    if record.fingerprint is not None and text == record.text:
        return record.fingerprint  # made from this very text, off the reactor thread
    # Imported here: read-only commands never sign a text, so they skip numpy and the signer.
    from monitor.dedupe.similarity import fingerprint

    return fingerprint(text)


def _insert_new_article(dialect: str) -> Executable:
    """``INSERT INTO articles ... ON CONFLICT (canonical_url) DO NOTHING RETURNING id`` for the
    backend (SQLite >= 3.35 and PostgreSQL both have it); built once per backend."""
    statement = _INSERT_NEW_ARTICLE.get(dialect)
    if statement is None:
        table = Article.__table__
        assert isinstance(table, Table)  # a declarative model's table  # noqa: S101
        statement = _insert_ignoring_conflicts(dialect, table, [table.c.canonical_url]).returning(table.c.id)
        _INSERT_NEW_ARTICLE[dialect] = statement
    return statement


_INSERT_NEW_ARTICLE: dict[str, Executable] = {}


def _insert_ignoring_conflicts(dialect: str, table: Table, index_elements: list[Any] | None = None) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the backend (SQLite >= 3.35 and PostgreSQL), on
    ``index_elements`` or, without them, on any unique constraint."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing(index_elements=index_elements)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=index_elements)
    raise NotImplementedError(f"insert on {dialect!r}: only SQLite and PostgreSQL are supported")


# A conflict whose row is gone by the next statement needs a prune racing the upsert on that very
# URL; twice in a row means something else is wrong.
_UPSERT_ATTEMPTS = 3
