"""``monitor dispatch`` and ``monitor worker``: crawls shared by several machines (PostgreSQL + Celery).

Both need the ``cluster`` extra (``pip install 'news-monitor[cluster]'``), the cluster's
PostgreSQL database and the broker URL in the environment variable ``cluster.broker_url_env``
names (``MONITOR_BROKER_URL`` by default). See README, "Cluster mode".
"""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.cli.app import app, state
from monitor.errors import UsageError


def _need_extra() -> None:
    try:
        import celery  # noqa: F401
    except ImportError as exc:
        raise UsageError("cluster mode needs the cluster extra: pip install 'news-monitor[cluster]'") from exc


@app.command()
def dispatch(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="one tick now (if no other dispatcher leads), then exit")
    ] = False,
    metrics_port: Annotated[
        int | None,
        typer.Option("--metrics-port", min=1, max=65535, help="Prometheus port (default: cluster.metrics_port)"),
    ] = None,
) -> None:
    """The cluster's clock: the leader writes jobs for due sources and sends them to the workers.

    Start one on each of two or more machines: one leads, the others stand by and take over when it
    dies. The leader also sends the digest. SIGTERM stops it after the running digest finishes.
    """
    _need_extra()
    current = state(ctx)
    config = current.config()
    if once:
        raise typer.Exit(_tick_once(config))
    from monitor.cluster.leader import serve_dispatcher

    raise typer.Exit(serve_dispatcher(config, allow_private=current.allow_private, metrics_port=metrics_port))


def _tick_once(config: object) -> int:
    import threading

    from sqlalchemy.pool import NullPool

    from monitor.cluster.celery_app import make_app, publisher
    from monitor.cluster.dispatcher import Dispatcher, leadership
    from monitor.config import AppConfig
    from monitor.storage import open_database
    from monitor.storage.engine import make_engine

    assert isinstance(config, AppConfig)
    if not config.database_url.startswith("postgresql"):
        raise UsageError("monitor dispatch needs PostgreSQL: set --db / MONITOR_DB_URL to the cluster's database")
    settings = config.settings.cluster
    engine = make_engine(config.database_url, poolclass=NullPool)
    database = open_database(config.database_url)
    try:
        with leadership(engine, threading.Event(), wait=False) as connection:
            if connection is None:
                typer.echo("another dispatcher leads: nothing done")
                return 4
            report = Dispatcher(config, database, publisher(make_app(settings), settings)).tick()  # type: ignore[arg-type]
    finally:
        database.close()
        engine.dispose()
    typer.echo(
        f"{len(report.dispatched)} jobs dispatched, {len(report.resent)} resent, {len(report.lost)} lost, "
        f"{report.waiting} due sources waiting"
    )
    return 0


@app.command()
def worker(
    ctx: typer.Context,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=64, help="crawls at once")] = 1,
    name: Annotated[str | None, typer.Option("--name", help="worker name (default crawl@HOSTNAME)")] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option("--metrics-port", min=1, max=65535, help="Prometheus port (default: cluster.worker_metrics_port)"),
    ] = None,
) -> None:
    """A Celery worker that crawls jobs, each as a `monitor run --job ID` child process.

    SIGTERM: the running crawls finish, no new one starts; a second SIGTERM stops them.
    """
    _need_extra()
    from monitor.cluster.worker import serve_worker

    current = state(ctx)
    config = current.config()
    code = serve_worker(
        config, concurrency=concurrency, name=name, allow_private=current.allow_private, metrics_port=metrics_port
    )
    raise typer.Exit(code)
