"""``monitor serve``: the analysts' web app (``monitor.web``) on uvicorn, bound to 127.0.0.1 by default."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.cli.app import app, state

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="address to listen on; keep 127.0.0.1 behind a proxy")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port to listen on")] = 8080,
    https_only: Annotated[
        bool,
        typer.Option("--https-only", help="mark cookies Secure even when the proxy does not say X-Forwarded-Proto"),
    ] = False,
    forwarded_allow_ips: Annotated[
        str, typer.Option("--forwarded-allow-ips", help="proxies whose X-Forwarded-For/-Proto are trusted")
    ] = "127.0.0.1",
) -> None:
    """Serve the web app: items, search, sources, trends, watchlists, feedback. Needs `monitor users add` first."""
    import uvicorn

    from monitor.web.app import create_app
    from monitor.web.settings import WebSettings

    current = state(ctx)
    config = current.config()
    if host not in LOOPBACK:
        typer.echo(f"monitor serve: listening on {host}: put it behind a reverse proxy with HTTPS (README)", err=True)
    settings = WebSettings(config, https_only=https_only, extra={"allow_private": current.allow_private})
    application = create_app(settings)
    typer.echo(f"news-monitor web app on http://{host}:{port}/ (database {_shown(config.database_url)})", err=True)
    uvicorn.run(
        application,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        # No websockets (the app has none): uvicorn would import wsproto or websockets to offer them.
        ws="none",
        lifespan="on",
        log_level="warning",
        access_log=False,
    )


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
