"""``cxgap ideas link``: link an idea to an action plan or a case, or unlink it
(``docs/community.md``). Registered on the ``ideas`` group by ``cli/commands.py``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cxgap.cli.common import (
    AsJson,
    DatabaseUrl,
    OutputFormat,
    WorkspaceKey,
    fail,
    opened,
    wants_json,
)
from cxgap.services import idea_links
from cxgap.services.workspaces import get_workspace


def link(
    workspace: WorkspaceKey,
    idea_id: Annotated[int, typer.Argument(help="The idea's id (cxgap ideas list).")],
    plan: Annotated[
        int | None, typer.Option("--plan", help="The action plan's id (cxgap actions list).")
    ] = None,
    case: Annotated[
        int | None, typer.Option("--case", help="The case's number (cxgap cases list).")
    ] = None,
    unlink: Annotated[bool, typer.Option("--unlink", help="Remove the link instead.")] = False,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Link an idea to the action plan that answers it (--plan) or to a case (--case), both of
    the same workspace; --unlink removes the link. Prints what the idea is linked to."""
    if plan is not None and case is None:
        kind, target = "action_plan", plan
    elif case is not None and plan is None:
        kind, target = "case", case
    else:
        raise fail("Error: give one of --plan ID or --case NUMBER")
    as_json_output = wants_json(format, as_json)
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        if unlink:
            idea_links.unlink(session, workspace=ws, idea_id=idea_id, kind=kind, target=target)
        else:
            idea_links.link(session, workspace=ws, idea_id=idea_id, kind=kind, target=target)
        links = idea_links.links_of(session, ws, idea_id)
    if as_json_output:
        typer.echo(json.dumps(links.as_json(), ensure_ascii=False, indent=2))
        return
    what = "action plan" if kind == "action_plan" else "case"
    verb = "unlinked from" if unlink else "linked to"
    typer.echo(f"Idea {idea_id} {verb} {what} {target}.")
    for p in links.plans:
        typer.echo(f"  plan {p.id:>6}  {p.status:<12} {p.progress:>3} %  {p.title}")
    for c in links.cases:
        typer.echo(f"  case {c.number:>6}  {c.status:<12}        {c.subject}")
    if links.suggest_status:
        typer.echo(
            f"A linked plan is done: `cxgap ideas status -w {workspace} {idea_id} "
            f"{links.suggest_status}` would tell its followers it is built."
        )
