from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from typer.testing import CliRunner

from monitor.errors import SchemaOutdated
from monitor.storage.database import open_database
from monitor.storage.engine import make_engine
from monitor.storage.migrations import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    head_revision,
    include_object,
    upgrade_to_head,
)
from monitor.storage.models import Base
from tests.helpers import CONFIG_DIR, REPO_ROOT


def test_new_database_is_created_at_the_latest_revision(database_url: str) -> None:
    database = open_database(database_url)
    with database.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    database.close()


def test_models_and_revisions_agree(database_url: str) -> None:
    """A model change without an Alembic revision fails here: write the revision (see README, "Migrations")."""
    database = open_database(database_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    database.close()


def _at_revision(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    engine.dispose()


def test_an_outdated_database_says_so_and_how_to_upgrade(database_url: str) -> None:
    _at_revision(database_url, "0001")
    engine = make_engine(database_url)
    with pytest.raises(SchemaOutdated, match=r"revision 0001.*monitor db upgrade"):
        open_database(database_url)
    assert upgrade_to_head(engine) == ("0001", head_revision())
    open_database(database_url).close()
    engine.dispose()


def test_a_database_from_before_migrations_is_stamped_then_upgraded(database_url: str) -> None:
    _at_revision(database_url, "0001")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(SchemaOutdated, match="before migrations"):
        open_database(database_url)
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    engine.dispose()


def test_search_expression_matches_the_revision() -> None:
    """The search query must use the indexed expression verbatim, or PostgreSQL scans every row."""
    import importlib.util

    from monitor.storage import search

    path = Path(search.__file__).with_name("alembic") / "versions" / "0007_search_vector.py"
    spec = importlib.util.spec_from_file_location("revision_0007", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PG_SEARCH_EXPRESSION == search.PG_SEARCH_EXPRESSION
    assert module.PG_SEARCH_COLUMN == search.PG_SEARCH_COLUMN


def test_db_upgrade_command(tmp_path: Path, sqlite_url: str) -> None:
    from monitor.cli import _register
    from monitor.cli.app import app

    _register()
    config = CONFIG_DIR
    _at_revision(sqlite_url, "0001")
    result = CliRunner().invoke(app, ["--config", str(config), "--db", sqlite_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from 0001 to revision {head_revision()}" in result.output
    result = CliRunner().invoke(app, ["--config", str(config), "--db", sqlite_url, "db", "upgrade"])
    assert "already at revision" in result.output


def test_head_revision_constant_is_alembics_head() -> None:
    # ensure_schema trusts HEAD_REVISION without loading Alembic: a new revision must bump it.
    assert HEAD_REVISION == head_revision()


def test_a_database_at_head_opens_without_loading_alembic(sqlite_url: str) -> None:
    open_database(sqlite_url).close()  # creates it, through Alembic
    probe = (
        "import sys\n"
        "from monitor.storage.database import open_database\n"
        f"open_database({sqlite_url!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["False"], "Alembic loaded for a database at head"
