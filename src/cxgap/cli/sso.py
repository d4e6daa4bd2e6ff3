"""``cxgap sso``: the single sign-on policy and group → role mappings (the provider itself is
configured with CXGAP_OIDC_* settings, never stored)."""

from __future__ import annotations

from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, fail, opened
from cxgap.config import Settings
from cxgap.services import sso
from cxgap.sso.settings import is_configured

app = typer.Typer(
    help="Single sign-on (OpenID Connect): policy and group roles.", no_args_is_help=True
)


def _describe(policy: sso.PolicyView) -> str:
    first = (
        f"{policy.new_user_role} in {policy.new_user_workspace}"
        if policy.new_user_workspace
        else "no access until an administrator adds them"
    )
    passwords = "on" if policy.local_passwords else "off (instance administrators only)"
    return f"New users at first sign-in: {first}.\nLocal passwords: {passwords}."


@app.command("status")
def status(database_url: DatabaseUrl = None) -> None:
    """The provider, the policy and the group mappings."""
    settings = Settings.from_env(database_url)
    with opened(database_url) as app_, app_.reading() as session:
        policy = sso.get_policy(session)
        mappings = sso.list_group_roles(session)
    provider = (
        f"{settings.oidc_name} ({settings.oidc_issuer})" if is_configured(settings) else "none"
    )
    typer.echo(f"Identity provider: {provider}.")
    typer.echo(_describe(policy))
    for mapping in mappings:
        typer.echo(f"  group {mapping.group!r} → {mapping.role} in {mapping.workspace}")


@app.command("policy")
def policy(
    local_passwords: Annotated[
        bool | None,
        typer.Option(
            "--local-passwords/--no-local-passwords",
            help="Allow password sign-in (off: instance administrators only, as a way in).",
        ),
    ] = None,
    new_user_workspace: Annotated[
        str | None, typer.Option(help="Workspace a user gets at the first sign-in ('' for none).")
    ] = None,
    new_user_role: Annotated[
        str | None, typer.Option(help="admin, analyst, viewer, or none: no access until added.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Change the first-sign-in role and whether local passwords work."""
    if local_passwords is False and not is_configured(Settings.from_env(database_url)):
        raise fail(
            "Error: passwords cannot be turned off before an identity provider is configured "
            "(CXGAP_OIDC_ISSUER, CXGAP_OIDC_CLIENT_ID): nobody could sign in"
        )
    if new_user_role is not None and new_user_workspace is None and new_user_role != "none":
        raise fail("Error: --new-user-role needs --new-user-workspace")
    with opened(database_url) as app_, app_.transaction() as session:
        changed = sso.set_policy(
            session,
            local_passwords=local_passwords,
            new_user_workspace=new_user_workspace,
            new_user_role=new_user_role,
        )
    typer.echo(_describe(changed))


@app.command("map")
def map_group(group: str, workspace: str, role: str, database_url: DatabaseUrl = None) -> None:
    """Members of GROUP get ROLE (admin, analyst, viewer) in WORKSPACE at every sign-in."""
    with opened(database_url) as app_, app_.transaction() as session:
        mapping = sso.set_group_role(session, group=group, workspace=workspace, role=role)
    typer.echo(f"Group {mapping.group!r} → {mapping.role} in {mapping.workspace}.")


@app.command("unmap")
def unmap_group(group: str, workspace: str, database_url: DatabaseUrl = None) -> None:
    """Remove GROUP's mapping in WORKSPACE."""
    with opened(database_url) as app_, app_.transaction() as session:
        sso.remove_group_role(session, group=group, workspace=workspace)
    typer.echo(f"Group {group!r} no longer gives a role in {workspace}.")
