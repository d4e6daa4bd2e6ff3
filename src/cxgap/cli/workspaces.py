"""``cxgap workspace``, ``cxgap survey`` and ``cxgap campaign``."""

from __future__ import annotations

from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, opened
from cxgap.services import campaigns
from cxgap.services.workspaces import create_workspace, get_workspace, list_workspaces

workspace_app = typer.Typer(
    help="Workspaces (one per brand or business unit).", no_args_is_help=True
)
survey_app = typer.Typer(help="Public customer surveys.", no_args_is_help=True)
campaign_app = typer.Typer(help="Internal self-assessment campaigns.", no_args_is_help=True)


@workspace_app.command("create")
def create(key: str, name: str, database_url: DatabaseUrl = None) -> None:
    """Create a workspace with the default 10 pillars."""
    with opened(database_url) as app_, app_.transaction() as session:
        create_workspace(session, key=key, name=name)
    typer.echo(f"Created workspace {key}.")


@workspace_app.command("list")
def list_(database_url: DatabaseUrl = None) -> None:
    """List workspaces."""
    with opened(database_url) as app_, app_.reading() as session:
        for ws in list_workspaces(session):
            typer.echo(f"{ws.key}\t{ws.name}")


@survey_app.command("create")
def survey_create(
    workspace: WorkspaceKey,
    key: str,
    name: str,
    invitation_only: Annotated[
        bool, typer.Option(help="Answer only with a personal link.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a public customer survey and print its link path."""
    with opened(database_url) as app_, app_.transaction() as session:
        survey = campaigns.create_survey(
            session,
            workspace=get_workspace(session, workspace),
            key=key,
            name=name,
            invitation_only=invitation_only,
        )
        token = survey.token
    typer.echo(f"/s/{token}")


@survey_app.command("invite")
def survey_invite(
    workspace: WorkspaceKey,
    key: str,
    count: Annotated[int, typer.Option(min=1, max=10_000)] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Print COUNT single-use invitation link paths (shown once: only hashes are stored)."""
    with opened(database_url) as app_, app_.transaction() as session:
        survey = campaigns.get_survey(session, get_workspace(session, workspace), key)
        tokens = campaigns.create_invitations(session, survey=survey, count=count)
        base = f"/s/{survey.token}?invitation="
    for token in tokens:
        typer.echo(base + token)


@campaign_app.command("create")
def campaign_create(
    workspace: WorkspaceKey, key: str, name: str, database_url: DatabaseUrl = None
) -> None:
    """Create an internal self-assessment campaign and print its link path."""
    with opened(database_url) as app_, app_.transaction() as session:
        campaign = campaigns.create_internal_campaign(
            session, workspace=get_workspace(session, workspace), key=key, name=name
        )
        token = campaign.token
    typer.echo(f"/a/{token}")
