"""``monitor users add|list|remove|passwd``: the accounts of the web app (``monitor serve``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from monitor.cli.app import app, state

users_app = typer.Typer(help="Accounts of the web app: analysts judge and tune, viewers read.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _password(from_stdin: bool) -> str:
    """From standard input (one line, for scripts), else asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[
        str, typer.Option("--role", help="analyst (reads, judges, mutes, crawls) or viewer (reads)")
    ] = "analyst",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create an account; the password is asked for (at least 10 characters) and stored as an argon2id hash."""
    from monitor.storage import repository_for
    from monitor.storage.users import add_user, check_role, check_username

    check_username(username)
    check_role(role)
    config = state(ctx).config()
    password = _password(password_stdin)
    with repository_for(config.database_url).sessions.begin() as session:
        account = add_user(session, username, password, role)
    typer.echo(f"added {account.username} ({account.role})")


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """Every account with its role and when it was made."""
    from monitor.storage import repository_for
    from monitor.storage.users import list_users as accounts

    config = state(ctx).config()
    with repository_for(config.database_url).sessions() as session:
        rows = accounts(session)
    if not rows:
        typer.echo("no users; add one with `monitor users add NAME`")
    for account in rows:
        typer.echo(f"{account.username}\t{account.role}\t{account.created_at:%Y-%m-%d %H:%M}")


@users_app.command("remove")
def remove(ctx: typer.Context, username: Annotated[str, typer.Argument(help="login name")]) -> None:
    """Delete an account; its sessions stop working at their next request. Its judgements stay."""
    from monitor.storage import repository_for
    from monitor.storage.users import remove_user

    config = state(ctx).config()
    with repository_for(config.database_url).sessions.begin() as session:
        remove_user(session, username)
    typer.echo(f"removed {username}")


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="login name")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Set a new password; sessions made with the old one end."""
    from monitor.storage import repository_for
    from monitor.storage.users import check_username, set_password

    check_username(username)
    config = state(ctx).config()
    password = _password(password_stdin)
    with repository_for(config.database_url).sessions.begin() as session:
        set_password(session, username, password)
    typer.echo(f"password of {username} changed")
