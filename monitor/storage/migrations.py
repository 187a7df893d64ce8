"""Schema migrations with Alembic, configured in code so that they ship inside the package.

A new (empty) database is brought to the latest revision on first use. A database at an older
revision is not touched behind the operator's back: commands stop with ``SchemaOutdated`` and say
to run ``monitor db upgrade``. Concurrent first starts are serialized by a migration lock.

Alembic is imported only when a database is not at ``HEAD_REVISION``: every command opens the
database, and loading Alembic and its script directory cost ~0.15 s of a 3 s unchanged rerun.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import SchemaOutdated, StorageError
from monitor.storage.engine import first_line
from monitor.storage.lock import file_lock_for, lock_key

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.sql.schema import SchemaItem

log = logging.getLogger(__name__)

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
# The revision that matches the schema ``create_all`` made before migrations existed: a database
# from that time has tables but no ``alembic_version`` and is stamped with it before upgrading.
BASELINE_REVISION = "0001"
UPGRADE_HINT = "run `monitor db upgrade` (back up the database first)"
# The newest revision under alembic/versions, known without loading Alembic. A new revision must
# bump it: tests/monitor/storage/test_migrations.py compares it with Alembic's own head.
HEAD_REVISION = "0009"

# Full-text search objects live outside the ORM metadata (an FTS5 virtual table and its shadow
# tables on SQLite, an expression GIN index on PostgreSQL); autogenerate must not drop them.
SEARCH_TABLE_PREFIX = "articles_fts"
SEARCH_INDEXES = frozenset({"ix_articles_search", "ix_articles_flagged_newest", "ix_articles_search_vector"})
# PostgreSQL's stored tsvector (revision 0007): a generated column that is not in the ORM model.
SEARCH_COLUMNS = frozenset({"search_vector"})


def include_object(
    obj: SchemaItem, name: str | None, type_: str, reflected: bool, compare_to: SchemaItem | None
) -> bool:
    """Autogenerate filter: hide the hand-written full-text search objects."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    if type_ == "column" and name in SEARCH_COLUMNS:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no Alembic revisions found in the package"
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _has_tables(connection: Connection) -> bool:
    return inspect(connection).has_table("articles")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the migration lock: two first starts never create tables twice."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(connection, "migrate")})
            yield connection
        return
    with file_lock_for(engine, "migrate", blocking=True), engine.begin() as connection:
        yield connection


def _at_head(engine: Engine) -> bool:
    """True when ``alembic_version`` holds exactly ``HEAD_REVISION``: plain SQL, no Alembic.

    Anything else (no such table yet, several heads, an error) is left to the full check.
    """
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return False
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return False
    return rows == [HEAD_REVISION]


def ensure_schema(engine: Engine) -> None:
    """Create a new database at head; refuse (SchemaOutdated) to work on an older one."""
    if _at_head(engine):
        return
    from alembic import command

    head = head_revision()
    try:
        with engine.connect() as connection:
            if current_revision(connection) == head:
                return
        with _migration_lock(engine) as connection:
            revision = current_revision(connection)
            if revision == head:
                return
            if revision is None and not _has_tables(connection):
                log.info("new database: creating the schema at revision %s", head)
                command.upgrade(alembic_config(connection), "head")
                return
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot create or read the schema: {first_line(exc)}") from exc
    described = f"revision {revision}" if revision else "a schema from before migrations"
    if revision is not None and not _is_known(revision):
        raise SchemaOutdated(
            f"the database is at {described}, newer than this news-monitor knows ({head}); upgrade news-monitor"
        )
    raise SchemaOutdated(f"the database has {described}, this news-monitor needs {head}: {UPGRADE_HINT}")


def _is_known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def upgrade_to_head(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending revision; returns (revision before, revision after)."""
    from alembic import command

    head = head_revision()
    try:
        with _migration_lock(engine) as connection:
            before = current_revision(connection)
            if before is None and _has_tables(connection):
                log.info("database from before migrations: stamping it at %s", BASELINE_REVISION)
                command.stamp(alembic_config(connection), BASELINE_REVISION)
            if before != head:
                command.upgrade(alembic_config(connection), "head")
    except SQLAlchemyError as exc:
        raise StorageError(f"migration failed, nothing was changed: {exc}") from exc
    return before, head
