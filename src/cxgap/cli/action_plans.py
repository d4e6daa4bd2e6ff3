"""``cxgap actions list|create|show|update|status|comment|step``: a workspace's action plan
from the command line (the same services as the pages and the API; docs/actions.md)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cxgap.cli.common import DatabaseUrl, OutputFormat, WorkspaceKey, opened, wants_json
from cxgap.db.tables import ActionRow, Workspace
from cxgap.services import (
    accounts,
    action_checks,
    action_gaps,
    action_notes,
    action_outcomes,
    action_plans,
    action_reminders,
    action_views,
)
from cxgap.services.action_plans import ActionFilter
from cxgap.services.workspaces import get_workspace

step_app = typer.Typer(help="An action's steps (sub-actions).", no_args_is_help=True)

ActionId = Annotated[int, typer.Argument(help="The action's id.", min=1)]
Actor = Annotated[str | None, typer.Option("--as", help="The member acting (e-mail).")]


Title = Annotated[str | None, typer.Option("--title", help="What is done.")]
Description = Annotated[str | None, typer.Option("--description", help="Details.")]
SubjectKind = Annotated[
    str | None,
    typer.Option("--tie", help="What it is tied to: " + ", ".join(action_plans.SUBJECT_KINDS)),
]
SubjectKey = Annotated[
    str | None, typer.Option("--key", help="The pillar, topic… key it is tied to.")
]
Owner = Annotated[str | None, typer.Option("--owner", help="A member's e-mail ('' clears).")]
Team = Annotated[str | None, typer.Option("--team", help="A team's key ('' clears).")]
Start = Annotated[str | None, typer.Option("--start", help="Start date, YYYY-MM-DD.")]
Due = Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")]
Progress = Annotated[int | None, typer.Option("--progress", help="0 to 100.")]
Metric = Annotated[
    str | None,
    typer.Option(
        "--metric", help="nps, csat, ces, pillar, topic_negative_share, touchpoint_sentiment."
    ),
]
MPillar = Annotated[str | None, typer.Option("--metric-pillar", help="For --metric pillar.")]
MTopic = Annotated[str | None, typer.Option("--metric-topic", help="For topic_negative_share.")]
MTouchpoint = Annotated[
    str | None, typer.Option("--metric-touchpoint", help="For touchpoint_sentiment.")
]
MSegment = Annotated[str | None, typer.Option("--segment", help="Measure on this segment only.")]


def _echo(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _actor_id(session: Session, email: str | None) -> int | None:
    return None if email is None else accounts.get_user(session, email=email).id


def _values(**given: object) -> dict[str, object]:
    """The options given (None: not given), under the services' field names."""
    names = {
        **{"tie": "subject_kind", "key": "subject_key", "start": "start_date", "due": "due_date"},
        **{"metric_pillar": "pillar", "metric_topic": "topic", "metric_touchpoint": "touchpoint"},
    }
    return {names.get(k, k): v for k, v in given.items() if v is not None}


def _line(a: dict[str, object]) -> str:
    late = " LATE" if a["late"] else ""
    due = a["due_date"] or "—"
    tie = f"{a['subject_kind']}:{a['subject_key']}" if a["subject_kind"] else "-"
    return (
        f"#{a['id']:<5} {a['status']:<12} {a['progress']:>3}%  due {due}{late}  {a['title']}  "
        f"[{tie}] [{a['owner'] or '-'}]"
    )


def _show(
    session: Session, ws: Workspace, action: ActionRow, as_json: bool, *, impact: bool = False
) -> None:
    value = action_views.detail(session, action, action_gaps.today_of(session, ws))
    measured = action_outcomes.impact_json(session, ws, action) if impact else None
    if as_json:
        _echo(value if measured is None else {**value, "impact": measured})
        return
    typer.echo(_line(value))
    if measured is not None:
        typer.echo(f"  impact: {measured['moved']}")
    for step in value["steps"]:  # type: ignore[attr-defined]
        mark = "x" if step["done"] else " "
        typer.echo(f"  [{mark}] {step['id']}: {step['title']} (due {step['due_date'] or '—'})")
    for comment in value["comments"]:  # type: ignore[attr-defined]
        typer.echo(
            f"  {comment['at']:%Y-%m-%d %H:%M} {comment['author'] or '-'}: {comment['body']}"
        )


def list_(
    workspace: WorkspaceKey,
    status: Annotated[list[str] | None, typer.Option("--status", help="Only this status.")] = None,
    owner: Owner = None,
    team: Team = None,
    tie: SubjectKind = None,
    key: SubjectKey = None,
    late: Annotated[bool, typer.Option("--late", help="Only the late ones.")] = False,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The workspace's actions, nearest due date first."""
    as_json = wants_json(format, False)
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        today = action_gaps.today_of(session, ws)
        for value in status or ():
            action_checks.choice("status", value, action_plans.STATUSES)
        where = ActionFilter(
            statuses=tuple(status or ()),
            owner_id=action_checks.member(session, ws.id, "owner", owner).id if owner else None,
            team_id=action_checks.team(session, ws.id, team).id if team else None,
            subject_kind=tie, subject_key=key, late_on=today if late else None,
        )  # fmt: skip
        listed = action_views.summaries(
            session, action_plans.list_actions(session, ws, where), today
        )
    if as_json:
        _echo({"actions": listed})
        return
    for item in listed:
        typer.echo(_line(item))


def create(
    workspace: WorkspaceKey,
    title: Annotated[str, typer.Option("--title", help="What is done.")],
    description: Description = None,
    tie: SubjectKind = None,
    key: SubjectKey = None,
    owner: Owner = None,
    team: Team = None,
    start: Start = None,
    due: Due = None,
    progress: Progress = None,
    status: Annotated[str | None, typer.Option("--status", help="Default not_started.")] = None,
    metric: Metric = None,
    metric_pillar: MPillar = None,
    metric_topic: MTopic = None,
    metric_touchpoint: MTouchpoint = None,
    segment: MSegment = None,
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add an action, tied to what it should move, with the metric it targets."""
    values = _values(title=title, description=description, tie=tie, key=key, owner=owner,
                     team=team, start=start, due=due, progress=progress, status=status,
                     metric=metric, metric_pillar=metric_pillar, metric_topic=metric_topic,
                     metric_touchpoint=metric_touchpoint, segment=segment)  # fmt: skip
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.create_action(
            session, workspace=ws, values=values, actor_id=_actor_id(session, actor)
        )
        _show(session, ws, action, wants_json(format, False))


def show(
    workspace: WorkspaceKey,
    action_id: ActionId,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """One action with its steps, comments and measured impact (``impact`` in JSON)."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        _show(session, ws, action, wants_json(format, False), impact=True)


def update(
    workspace: WorkspaceKey,
    action_id: ActionId,
    title: Title = None,
    description: Description = None,
    tie: SubjectKind = None,
    key: SubjectKey = None,
    owner: Owner = None,
    team: Team = None,
    start: Start = None,
    due: Due = None,
    progress: Progress = None,
    metric: Metric = None,
    metric_pillar: MPillar = None,
    metric_topic: MTopic = None,
    metric_touchpoint: MTouchpoint = None,
    segment: MSegment = None,
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Change the options given; the others stay ('' clears an optional one)."""
    values = _values(title=title, description=description, tie=tie, key=key, owner=owner,
                     team=team, start=start, due=due, progress=progress, metric=metric,
                     metric_pillar=metric_pillar, metric_topic=metric_topic,
                     metric_touchpoint=metric_touchpoint, segment=segment)  # fmt: skip
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        action_plans.update_action(
            session, action=action, values=values, actor_id=_actor_id(session, actor)
        )
        _show(session, ws, action, wants_json(format, False))


def status(
    workspace: WorkspaceKey,
    action_id: ActionId,
    new_status: Annotated[str, typer.Argument(help=", ".join(action_plans.STATUSES))],
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Change the status (done sets the progress to 100)."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        action_plans.set_status(
            session, action=action, status=new_status, actor_id=_actor_id(session, actor)
        )
        _show(session, ws, action, wants_json(format, False))


def comment(
    workspace: WorkspaceKey,
    action_id: ActionId,
    body: Annotated[str, typer.Argument(help="The comment.")],
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a comment to an action."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        action_notes.add_comment(
            session, action=action, body=body, author_id=_actor_id(session, actor)
        )
        _show(session, ws, action, wants_json(format, False))


@step_app.command("add")
def step_add(
    workspace: WorkspaceKey,
    action_id: ActionId,
    title: Annotated[str, typer.Argument(help="The step.")],
    owner: Owner = None,
    due: Due = None,
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a step to an action."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        action_notes.add_step(session, action=action, title=title, owner=owner, due_date=due,
                              actor_id=_actor_id(session, actor))  # fmt: skip
        _show(session, ws, action, wants_json(format, False))


@step_app.command("done")
def step_done(
    workspace: WorkspaceKey,
    action_id: ActionId,
    step_id: Annotated[int, typer.Argument(help="The step's id.", min=1)],
    undo: Annotated[bool, typer.Option("--undo", help="Mark it not done again.")] = False,
    actor: Actor = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Mark a step done (or, with --undo, not done)."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        action = action_plans.get_action(session, ws, action_id)
        action_notes.set_step_done(session, action=action, step_id=step_id, done=not undo,
                                   actor_id=_actor_id(session, actor))  # fmt: skip
        _show(session, ws, action, wants_json(format, False))


def reminders(
    workspace: WorkspaceKey,
    days: Annotated[
        int | None, typer.Option("--days", help="Days before the due date owners are told.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show, or with --days set, how many days before the due date owners are reminded."""
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        if days is not None:
            action_reminders.set_days_before(session, ws, days)
        typer.echo(str(action_reminders.days_before(session, ws.id)))


def register(app: typer.Typer) -> None:
    """Add the commands to ``cxgap actions`` (beside ``impact``)."""
    app.command("list")(list_)
    app.command("create")(create)
    app.command("show")(show)
    app.command("update")(update)
    app.command("status")(status)
    app.command("comment")(comment)
    app.command("reminders")(reminders)
    app.add_typer(step_app, name="step")
