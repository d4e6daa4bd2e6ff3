"""``cxgap cases rules …``, ``cxgap cases teams …`` and ``cxgap cases apply-rules``: the rules
that open cases and the teams from the command line (the services of the rules page and of
the API, docs/cases.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, cli_locale, opened
from cxgap.cli.sla import Format, emit
from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.services import case_backfill, case_rule_views, case_rules, teams
from cxgap.services.case_rules import RuleInput
from cxgap.services.workspaces import get_workspace

rules_app = typer.Typer(help="The rules that open cases from feedback.", no_args_is_help=True)
teams_app = typer.Typer(help="Teams that cases are assigned to.", no_args_is_help=True)

FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]
RuleId = Annotated[int, typer.Argument(help="The rule's id (see `rules list`).", min=1)]
TeamKey = Annotated[str, typer.Argument(help="The team's key.")]
Name = Annotated[str, typer.Option("--name", help="The rule's name.")]
NpsMax = Annotated[int | None, typer.Option("--nps-max", help="NPS at most (0-10).")]
CsatMax = Annotated[int | None, typer.Option("--csat-max", help="CSAT at most (1-5).")]
Topic = Annotated[str | None, typer.Option("--topic", help="A negative verbatim on this topic.")]
Critical = Annotated[
    bool,
    typer.Option("--critical-touchpoint", help="About a moment of truth or critical touchpoint."),
]
Priority = Annotated[str, typer.Option("--priority", help="low, normal, high, urgent.")]
Team = Annotated[str | None, typer.Option("--team", help="The team's key cases go to.")]
Disabled = Annotated[bool, typer.Option("--disabled", help="Saved switched off.")]
Members = Annotated[list[str] | None, typer.Option("--member", help="A member's e-mail.")]


def say(key: str, /, **params: object) -> None:
    typer.echo(translate(f"case_api.cli.{key}", cli_locale(), **params))


def _rule_line(rule: dict[str, object], locale: str) -> str:
    conditions = rule["conditions"]
    said = " · ".join(
        translate(f"cases.rules.cond.{k}", locale, value=v)
        for k, v in (conditions.items() if isinstance(conditions, dict) else ())
    )
    off = "" if rule["enabled"] else f" [{translate('cases.rules.off', locale)}]"
    team = f" → {rule['team']}" if rule["team"] else ""
    priority = translate(f"cases.priority.{rule['priority']}", locale)
    return f"{rule['position']}. #{rule['id']} {rule['name']}{off}: {said} ({priority}{team})"


def _print_rules(session: Session, workspace: Workspace, format: Format) -> None:
    listed = case_rule_views.rules_data(session, workspace)
    if format is Format.JSON:
        emit({"rules": listed})
    elif not listed:
        say("no_rules")
    else:
        for rule in listed:
            typer.echo(_rule_line(rule, cli_locale()))


@rules_app.command("list")
def list_rules(
    workspace: WorkspaceKey, format: FormatOption = Format.TABLE, database_url: DatabaseUrl = None
) -> None:
    """The rules in the order they are tried (the first that matches opens the case)."""
    with opened(database_url) as app, app.reading() as session:
        _print_rules(session, get_workspace(session, workspace), format)


def _save(
    database_url: str | None, workspace: str, rule: RuleInput, rule_id: int | None, fmt: Format
) -> None:
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        if rule_id is not None:
            case_rules.rule_by_id(session, found, rule_id)
        saved = case_rules.save_rule(session, workspace=found, rule=rule, rule_id=rule_id)
        shown = case_rule_views.one_rule_data(session, found, saved.id)
    if fmt is Format.JSON:
        emit(shown)
    else:
        typer.echo(_rule_line(shown, cli_locale()))


def _input(
    name: str, nps: int | None, csat: int | None, topic: str | None, critical: bool,
    priority: str, team: str | None, disabled: bool,
) -> RuleInput:  # fmt: skip
    conditions: dict[str, object] = {
        "nps_max": nps, "csat_max": csat, "topic": topic, "critical_touchpoint": critical,
    }  # fmt: skip
    return RuleInput(name, conditions, priority, team or None, not disabled)


@rules_app.command("add")
def add_rule(
    workspace: WorkspaceKey, name: Name, nps_max: NpsMax = None, csat_max: CsatMax = None,
    topic: Topic = None, critical_touchpoint: Critical = False, priority: Priority = "normal",
    team: Team = None, disabled: Disabled = False, format: FormatOption = Format.TABLE,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Add a rule, tried after the others; every condition given must hold."""
    rule = _input(name, nps_max, csat_max, topic, critical_touchpoint, priority, team, disabled)
    _save(database_url, workspace, rule, None, format)


@rules_app.command("update")
def update_rule(
    workspace: WorkspaceKey, rule_id: RuleId, name: Name, nps_max: NpsMax = None,
    csat_max: CsatMax = None, topic: Topic = None, critical_touchpoint: Critical = False,
    priority: Priority = "normal", team: Team = None, disabled: Disabled = False,
    format: FormatOption = Format.TABLE, database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Replace a rule (it keeps its place in the order)."""
    rule = _input(name, nps_max, csat_max, topic, critical_touchpoint, priority, team, disabled)
    _save(database_url, workspace, rule, rule_id, format)


@rules_app.command("remove")
def remove_rule(workspace: WorkspaceKey, rule_id: RuleId, database_url: DatabaseUrl = None) -> None:
    """Delete a rule; the cases it opened stay."""
    with opened(database_url) as app, app.transaction() as session:
        case_rules.delete_rule(
            session, workspace=get_workspace(session, workspace), rule_id=rule_id
        )
    say("rule_removed", id=rule_id)


@rules_app.command("order")
def order_rules(
    workspace: WorkspaceKey,
    rule_ids: Annotated[list[int], typer.Argument(help="Every rule id once, in the new order.")],
    format: FormatOption = Format.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Put the rules in a new order."""
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        case_rules.reorder_rules(session, workspace=found, rule_ids=rule_ids)
        _print_rules(session, found, format)


def apply_rules(
    workspace: WorkspaceKey,
    since: Annotated[str, typer.Option("--since", help="Feedback collected from this day.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would happen.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Feedback items per transaction.")
    ] = case_backfill.BATCH,
    format: FormatOption = Format.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Apply the enabled rules to feedback collected since a day (YYYY-MM-DD, the calendar's
    time zone): cases opened, or items attached to their customer's open case. Items already
    on a case are skipped, so running it again opens nothing."""
    with opened(database_url) as app:
        day = case_backfill.read_since(since, "--since")
        if dry_run:
            with app.reading() as session:
                found = get_workspace(session, workspace)
                done = case_backfill.preview_rules_since(session, found, day, batch_size=batch_size)
        else:
            done = case_backfill.apply_rules_since(
                app, workspace_key=workspace, since=day, batch_size=batch_size,
                now=datetime.now(UTC),
            )  # fmt: skip
    if format is Format.JSON:
        emit(done.as_dict())
    else:
        say("preview" if dry_run else "applied", since=day.isoformat(), matched=done.matched,
            opened=done.opened, attached=done.attached)  # fmt: skip


def _print_teams(session: Session, workspace: Workspace, format: Format) -> None:
    listed = case_rule_views.teams_data(session, workspace)
    if format is Format.JSON:
        emit({"teams": listed})
        return
    for team in listed:
        members = team["members"]
        shown = ", ".join(members) if isinstance(members, list) and members else "—"
        typer.echo(f"{team['key']}  {team['name']}  [{shown}]")


@teams_app.command("list")
def list_teams(
    workspace: WorkspaceKey, format: FormatOption = Format.TABLE, database_url: DatabaseUrl = None
) -> None:
    """The teams and their members."""
    with opened(database_url) as app, app.reading() as session:
        _print_teams(session, get_workspace(session, workspace), format)


@teams_app.command("add")
def add_team(
    workspace: WorkspaceKey,
    key: TeamKey,
    name: Annotated[str, typer.Option("--name", help="The team's name.")],
    member: Members = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a team (its members must be members of the workspace)."""
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        teams.create_team(session, workspace=found, key=key, name=name)
        teams.set_team_members(session, workspace=found, team_key=key, emails=member or [])
    say("team_added", key=key)


@teams_app.command("rename")
def rename_team(
    workspace: WorkspaceKey,
    key: TeamKey,
    name: Annotated[str, typer.Option("--name", help="The new name.")],
    database_url: DatabaseUrl = None,
) -> None:
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        teams.rename_team(session, workspace=found, team_key=key, name=name)
    say("team_renamed", key=key)


@teams_app.command("remove")
def remove_team(workspace: WorkspaceKey, key: TeamKey, database_url: DatabaseUrl = None) -> None:
    """Delete a team: its cases and rules keep no team."""
    with opened(database_url) as app, app.transaction() as session:
        teams.delete_team(session, workspace=get_workspace(session, workspace), team_key=key)
    say("team_removed", key=key)


@teams_app.command("members")
def team_members(
    workspace: WorkspaceKey,
    key: TeamKey,
    add: Annotated[list[str] | None, typer.Option("--add", help="Add this member.")] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Remove this member.")
    ] = None,
    format: FormatOption = Format.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Add or remove members, then print the team's members."""
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        for email in add or []:
            teams.add_team_member(session, workspace=found, team_key=key, email=email)
        for email in remove or []:
            teams.remove_team_member(session, workspace=found, team_key=key, email=email)
        team, members = teams.team_members(session, workspace=found, team_key=key)
        shown = case_rule_views.team_data(team, members)
    if format is Format.JSON:
        emit(shown)
    else:
        typer.echo("\n".join(members) or "—")
