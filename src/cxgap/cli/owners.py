"""``cxgap owners list|set|unset|check``: the teams owning each pillar and touchpoint, and
what the worsening test finds today (the services of the ownership page and API,
docs/ownership.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, opened
from cxgap.cli.sla import Format, emit
from cxgap.services import ownership, ownership_watch
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Teams owning pillars and touchpoints (no silos).", no_args_is_help=True)


class Kind(StrEnum):
    PILLAR = "pillar"
    TOUCHPOINT = "touchpoint"


FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]
KindArg = Annotated[Kind, typer.Argument(help="pillar or touchpoint.")]
KeyArg = Annotated[str, typer.Argument(help="The pillar's or touchpoint's key.")]
Teams = Annotated[list[str] | None, typer.Option("--team", help="A team's key (repeatable).")]


def _print_owners(owners: list[str]) -> None:
    typer.echo(", ".join(owners) if owners else "(nobody)")


@app.command("list")
def list_owners(
    workspace: WorkspaceKey, format: FormatOption = Format.TABLE, database_url: DatabaseUrl = None
) -> None:
    """Every pillar and touchpoint with its owning teams."""
    with opened(database_url) as cx, cx.reading() as session:
        subjects = ownership.owned_subjects(session, get_workspace(session, workspace))
    if format is Format.JSON:
        emit({"subjects": [ownership.subject_json(s) for s in subjects]})
        return
    for s in subjects:
        typer.echo(f"{s.kind:<10} {s.key:<24} {s.name_en[:40]:<40} {', '.join(s.teams) or '-'}")


@app.command("set")
def set_owners(
    workspace: WorkspaceKey,
    kind: KindArg,
    key: KeyArg,
    team: Teams = None,
    add: Annotated[bool, typer.Option("--add", help="Keep the current owners.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Make these teams the owners (with --add: owners too)."""
    change = ownership.add_owners if add else ownership.set_owners
    with opened(database_url) as cx, cx.transaction() as session:
        found = get_workspace(session, workspace)
        owners = change(session, workspace=found, kind=kind.value, key=key, team_keys=team or [])
    _print_owners(owners)


@app.command("unset")
def unset_owners(
    workspace: WorkspaceKey,
    kind: KindArg,
    key: KeyArg,
    team: Teams = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Remove these teams from the owners (every owner when no --team is given)."""
    with opened(database_url) as cx, cx.transaction() as session:
        found = get_workspace(session, workspace)
        owners = ownership.remove_owners(
            session, workspace=found, kind=kind.value, key=key, team_keys=team or []
        )
    _print_owners(owners)


@app.command("check")
def check(
    workspace: WorkspaceKey,
    days: Annotated[int, typer.Option("--days", min=1, max=90, help="The window.")] = 7,
    baseline_days: Annotated[int, typer.Option("--baseline-days", min=1, max=365)] = 28,
    now: Annotated[str | None, typer.Option(help="As of this ISO 8601 instant.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Test every owned subject now (nothing is sent): the figures as JSON."""
    moment = datetime.fromisoformat(now) if now else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    windows = ownership_watch.windows_ending(moment, window_days=days, baseline_days=baseline_days)
    with opened(database_url) as cx, cx.reading() as session:
        reports = ownership_watch.measure_subjects(
            session, get_workspace(session, workspace), windows
        )
    emit(ownership_watch.reports_json(reports, windows))
