"""``cxgap user``: accounts, roles and API tokens."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from cxgap import audit
from cxgap.cli.common import DatabaseUrl, fail, opened
from cxgap.services import accounts, api_tokens, user_sessions
from cxgap.services.accounts import Role
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="User accounts and API tokens.", no_args_is_help=True)


@app.command("create")
def create(
    email: str,
    password: Annotated[
        str | None,
        typer.Option(
            help="At least 10 characters; a random one is generated and shown if omitted."
        ),
    ] = None,
    name: str = "",
    superuser: Annotated[bool, typer.Option(help="May open and manage every workspace.")] = False,
    workspace: Annotated[str | None, typer.Option(help="Add to this workspace…")] = None,
    role: Annotated[
        str, typer.Option(help="…with this role: admin, analyst or viewer.")
    ] = "viewer",
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user account."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    with opened(database_url) as app_, app_.transaction() as session:
        accounts.create_user(
            session,
            email=email,
            password=password,
            name=name,
            is_superuser=superuser,
            must_change_password=generated,
        )
        if workspace:
            ws = get_workspace(session, workspace)
            accounts.set_membership(session, workspace=ws, email=email, role=role)
    typer.echo(f"Created {email}." + (f" Password: {password}" if generated else ""))


@app.command("grant")
def grant(email: str, workspace: str, role: str, database_url: DatabaseUrl = None) -> None:
    """Give a user a role (admin, analyst, viewer) in a workspace."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        accounts.set_membership(session, workspace=ws, email=email, role=role)
    typer.echo(f"{email} is now {role} in {workspace}.")


@app.command("password")
def password(
    email: str,
    new_password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Set a user's password."""
    with opened(database_url) as app_, app_.transaction() as session:
        accounts.set_password(session, email=email, password=new_password)
        user = accounts.get_user(session, email=email)
        user_sessions.end_all(session, user_id=user.id)  # a reset signs every browser out
        audit.record(session, actor=None, action=audit.Action.PASSWORD_CHANGED,
                     target=audit.Target("user", user.id), details={"via": "cli"})  # fmt: skip
    typer.echo("Password changed.")


@app.command("token")
def token(
    email: str,
    name: str = "cli",
    workspace: Annotated[
        str | None,
        typer.Option(help="Scope the token to this workspace (its key); EMAIL must be its admin."),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(help="The scoped token's role: admin, analyst or viewer (default viewer)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an API token (shown once) for the REST API: a workspace token with --workspace
    and --role, as the Integrations page makes; else a personal token acting as EMAIL."""
    if role is not None and workspace is None:
        raise fail(f"Error: --role {role!r} needs --workspace (a personal token acts as its user)")
    with opened(database_url) as app_, app_.transaction() as session:
        if workspace is None:
            value = accounts.create_api_token(session, email=email, name=name)
        else:
            user = accounts.get_user(session, email=email)
            value = api_tokens.create_workspace_token(
                session,
                workspace=get_workspace(session, workspace),
                principal=accounts.principal_of(user),
                name=name,
                role=role or Role.VIEWER.value,
            )
    typer.echo(value)
