"""``cxgap cases``: a workspace's cases from the command line (the same services as the
pages and the API)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cxgap import jobs
from cxgap.cli.case_imports import import_command
from cxgap.cli.common import AsJson, DatabaseUrl, OutputFormat, WorkspaceKey, opened, wants_json
from cxgap.config import Settings
from cxgap.db.tables import CaseRow, Workspace
from cxgap.errors import ConfigError
from cxgap.services import accounts, case_recovery, case_views, cases
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Cases: follow each unhappy customer until the loop is closed.",
                  no_args_is_help=True)  # fmt: skip

Number = Annotated[int, typer.Argument(help="The case's number.", min=1)]
Actor = Annotated[
    str | None, typer.Option("--as", help="The member acting (e-mail), kept in the history.")
]
Body = Annotated[str, typer.Argument(help="The text.")]


def _echo(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _actor_id(session: Session, email: str | None) -> int | None:
    return None if email is None else accounts.get_user(session, email=email).id


def _line(case: dict[str, object]) -> str:
    sla = case["sla"]
    left = sla.get("business_minutes_left") if isinstance(sla, dict) else None
    shown = "—" if left is None else f"{left} min"
    flag = ""
    if isinstance(sla, dict) and sla.get("breached"):
        flag = " BREACHED"
    elif isinstance(sla, dict) and sla.get("warning"):
        flag = " warning"
    return (
        f"#{case['number']:<5} {case['status']:<17} {case['priority']:<7} {shown:>9}{flag}  "
        f"{case['subject']}  [{case['assignee'] or '-'}]"
    )


@app.command("list")
def list_(
    workspace: WorkspaceKey,
    queue: Annotated[
        bool, typer.Option("--queue", help="Open cases, least time left first.")
    ] = False,
    status: Annotated[list[str] | None, typer.Option("--status", help="Only this status.")] = None,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """The cases with their SLA as of now (newest first, or the queue)."""
    as_json = wants_json(format, as_json)
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        now = cases.now_utc()
        if queue:
            listed = case_views.queue(session, ws, now, statuses=tuple(status or ()))
        else:
            rows = cases.list_cases(session, ws, statuses=tuple(status or ()))
            listed = case_views.summaries(session, ws, rows, now)
    if as_json:
        _echo({"cases": listed})
        return
    for case in listed:
        typer.echo(_line(case))


@app.command("show")
def show(
    workspace: WorkspaceKey,
    number: Number,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """One case with its full history."""
    as_json = wants_json(format, as_json)
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        detail = case_views.detail(
            session, ws, cases.get_case(session, ws, number), cases.now_utc()
        )
    if as_json:
        _echo(detail)
        return
    typer.echo(_line(detail))
    for event in detail["events"]:  # type: ignore[attr-defined]
        where = "public" if event["public"] else "internal"
        text = f" {event['body']}" if event["body"] else ""
        extra = f" {event['status']}" if event["status"] else ""
        typer.echo(f"  {event['at']}  {event['type']:<9} {event['by']:<8} {where}{extra}{text}")


def _done(session: Session, ws: Workspace, number: int, as_json: bool) -> None:
    detail = case_views.detail(session, ws, cases.get_case(session, ws, number), cases.now_utc())
    if as_json:
        _echo(detail)
    else:
        typer.echo(_line(detail))


@app.command("open")
def open_(
    workspace: WorkspaceKey,
    subject: Annotated[str, typer.Option("--subject", help="What it is about.")] = "",
    feedback: Annotated[
        int | None, typer.Option("--feedback", help="From this feedback id.")
    ] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Customer reference.")] = None,
    account: Annotated[str | None, typer.Option("--account", help="Account key.")] = None,
    priority: Annotated[
        str, typer.Option("--priority", help="low, normal, high, urgent.")
    ] = "normal",
    actor: Actor = None,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Open a case (a verbatim of a customer with an open case is attached to it)."""
    as_json = wants_json(format, as_json)
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        case, created = cases.open_case(
            session, workspace=ws, subject=subject, feedback_id=feedback, customer_ref=customer,
            account=account, priority=priority, actor_id=_actor_id(session, actor),
        )  # fmt: skip
        if not created and not as_json:
            typer.echo(f"Attached to the customer's open case #{case.number}")
        _done(session, ws, case.number, as_json)


Action = Callable[[Session, CaseRow, int | None], object]


def _act(
    workspace: str, number: int, actor: str | None, as_json: bool, url: str | None, do: Action
) -> None:
    with opened(url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        case = cases.get_case(session, ws, number)
        do(session, case, _actor_id(session, actor))
        _done(session, ws, number, as_json)


@app.command("reply")
def reply(
    workspace: WorkspaceKey, number: Number, body: Body, actor: Actor = None,
    format: OutputFormat = None, as_json: AsJson = False, database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """A public reply to the customer."""
    _act(workspace, number, actor, wants_json(format, as_json), database_url,
         lambda s, c, a: cases.reply(s, case=c, body=body, actor_id=a))  # fmt: skip


@app.command("note")
def note(
    workspace: WorkspaceKey, number: Number, body: Body, actor: Actor = None,
    format: OutputFormat = None, as_json: AsJson = False, database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """An internal note (never shown to the customer)."""
    _act(workspace, number, actor, wants_json(format, as_json), database_url,
         lambda s, c, a: cases.reply(s, case=c, body=body, actor_id=a, public=False))  # fmt: skip


@app.command("status")
def status(
    workspace: WorkspaceKey,
    number: Number,
    value: Annotated[str, typer.Argument(help="new, open, pending_customer, resolved, closed.")],
    survey: Annotated[bool, typer.Option(
        "--survey", help="Resolving or closing: mail the recovery survey.")] = False,
    email: Annotated[str | None, typer.Option(
        "--email", help="The customer's address (default: the customer reference).")] = None,
    language: Annotated[str | None, typer.Option(
        "--language", help="en or fr (default: the verbatim's, else en).")] = None,
    actor: Actor = None, format: OutputFormat = None, as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Change the status (from resolved or closed to an open status reopens); with
    --survey, send the recovery survey (its link uses CXGAP_PUBLIC_URL)."""

    def do(session: Session, case: CaseRow, actor_id: int | None) -> object:
        cases.set_status(session, case=case, status=value, actor_id=actor_id)
        if survey:
            settings = Settings.from_env()
            if not settings.public_url:
                raise ConfigError("Set CXGAP_PUBLIC_URL: the survey's link in the e-mail needs it")
            recovery, _ = case_recovery.request_recovery(
                session, case=case, secret=settings.resolved_secret_key(), email=email,
                language=language, actor_id=actor_id,
            )  # fmt: skip
            jobs.send_recovery(session, recovery.id, case.workspace_id, settings.public_url)
        return None

    _act(workspace, number, actor, wants_json(format, as_json), database_url, do)


@app.command("assign")
def assign(
    workspace: WorkspaceKey,
    number: Number,
    to: Annotated[str | None, typer.Option("--to", help="A member's e-mail ('' clears).")] = None,
    team: Annotated[str | None, typer.Option("--team", help="A team's key ('' clears).")] = None,
    actor: Actor = None, format: OutputFormat = None, as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Assign the case to a member and/or a team."""

    def do(session: Session, case: CaseRow, actor_id: int | None) -> object:
        given = cases.assign(
            session, case=case, assignee_email=to, team_key=team, actor_id=actor_id
        )
        if given is not None:
            jobs.notify_assignee(session, case.id, case.workspace_id, "assigned")
        return given

    _act(workspace, number, actor, wants_json(format, as_json), database_url, do)


@app.command("reopen")
def reopen(
    workspace: WorkspaceKey, number: Number,
    body: Annotated[str, typer.Option("--why", help="Why it is reopened.")] = "",
    actor: Actor = None, format: OutputFormat = None, as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Reopen a resolved or closed case."""
    _act(workspace, number, actor, wants_json(format, as_json), database_url,
         lambda s, c, a: cases.reopen(s, case=c, actor_id=a, body=body))  # fmt: skip


app.command("import")(import_command)
