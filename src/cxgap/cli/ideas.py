"""``cxgap ideas``: a workspace's idea board from the command line (``docs/community.md``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cxgap.cli.common import (
    AsJson,
    DatabaseUrl,
    OutputFormat,
    WorkspaceKey,
    cli_locale,
    opened,
    wants_json,
)
from cxgap.community.ranking import check_order
from cxgap.i18n import translate
from cxgap.mail.sender import mail_configured
from cxgap.services import (
    idea_board,
    idea_evidence,
    idea_evidence_pages,
    idea_notifications,
    idea_statuses,
)
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="The idea board of a workspace.", no_args_is_help=True)


@app.command("list")
def list_(
    workspace: WorkspaceKey,
    format: OutputFormat = None,
    as_json: AsJson = False,
    status: Annotated[
        str | None, typer.Option(help="Only the ideas in this status (its key).")
    ] = None,
    sort: Annotated[str, typer.Option(help="trending, most_voted or newest.")] = "trending",
    database_url: DatabaseUrl = None,
) -> None:
    """Every idea of the board (pending and merged ones included) with its votes and followers."""
    with opened(database_url) as app_, app_.transaction() as session:
        rows = idea_board.board(
            session,
            get_workspace(session, workspace),
            order=check_order(sort),
            status=status,
            public=False,
        )
        counts = idea_evidence_pages.evidence_counts(session, get_workspace(session, workspace))
        listed = [row.as_json() | {"verbatims": counts.get(row.id)} for row in rows]
    if wants_json(format, as_json):
        typer.echo(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    for item in listed:
        typer.echo(
            f"{item['id']:>6}  {item['status']:<14} {item['votes']:>6} votes "
            f"{item['followers']:>6} followers  {item['title']}"
        )


@app.command("status")
def status(
    workspace: WorkspaceKey,
    idea_id: Annotated[int, typer.Argument(help="The idea's id (cxgap ideas list).")],
    status: Annotated[str, typer.Argument(help="The new status's key.")],
    message: Annotated[str, typer.Option(help="The team's message to the voters.")] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Move an idea to another status, as the board's page does: the change and its message
    are recorded, and its author, voters and followers get an e-mail about it (sent by the
    worker within a minute, or now by ``cxgap notify send``; links to CXGAP_PUBLIC_URL)."""
    with opened(database_url) as app_, app_.transaction() as session:
        change = idea_statuses.change_status(
            session,
            workspace=get_workspace(session, workspace),
            idea_id=idea_id,
            status=status,
            message=message,
            base_url=app_.settings.public_url,
        )
        queued = idea_notifications.waiting_for(session, change.id)
        # Without a mail server the notices wait (the demo of `make run` has none): say so.
        said = "mailed" if mail_configured(app_.settings) else "waiting"
        typer.echo(
            translate(
                f"idea_board.cli.status_{said}",
                cli_locale(),
                idea=idea_id,
                status=status,
                count=queued,
            )
        )


# --- the Listening link: verbatims that ask for each idea (docs/community.md) ---------------


@app.command("evidence")
def evidence(
    workspace: WorkspaceKey,
    idea: Annotated[int | None, typer.Option(help="Only this idea (its id).")] = None,
    examples: Annotated[
        int, typer.Option(min=0, max=50, help="Best-matching verbatims shown per idea.")
    ] = 3,
    refresh: Annotated[
        bool, typer.Option(help="Compute the matches now (else: as the worker last did).")
    ] = False,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """How many verbatims ask for each idea (matched by meaning), with their topics,
    touchpoints and best matches."""
    with opened(database_url) as app_:
        if refresh:
            idea_evidence.refresh_workspace(app_.sessions, workspace)
        with app_.transaction() as session:
            report = idea_evidence_pages.evidence_report(
                session, get_workspace(session, workspace), idea_id=idea, examples=examples
            )
    if wants_json(format, as_json):
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for item in report:
        found = item["verbatims"]
        count = f"{found} verbatim{'' if found == 1 else 's'}"
        count = "not computed yet" if item["computed_at"] is None else count
        typer.echo(f"{item['id']:>6}  {count:<18} {item['title']}")
        for topic in item["topics"]:
            typer.echo(f"{'':8}topic {topic['name']}: {topic['verbatims']}")
        for match in item["matches"]:
            typer.echo(f"{'':8}{match['similarity']:.2f}  {match['text']}")
