"""``cxgap audit``: read and export the audit log (whoever runs the CLI sees every event)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cxgap.audit.export import write_csv
from cxgap.audit.query import iter_events, list_events
from cxgap.cli.common import DatabaseUrl, cli_locale, opened
from cxgap.i18n import translate
from cxgap.services import audit_log

app = typer.Typer(help="The audit log: sign-ins, role changes, exports, deletions.",
                  no_args_is_help=True)  # fmt: skip

Action = Annotated[str, typer.Option(help="Only this event, e.g. auth.sign_in, data.exported.")]
User = Annotated[str, typer.Option(help="Only events by this user (e-mail).")]
Workspace = Annotated[str, typer.Option("--workspace", "-w", help="Only this workspace (key).")]
Since = Annotated[str, typer.Option(help="From this day (YYYY-MM-DD, UTC).")]
Until = Annotated[str, typer.Option(help="To this day included (YYYY-MM-DD, UTC).")]


@app.command("list")
def list_(
    action: Action = "",
    user: User = "",
    workspace: Workspace = "",
    since: Since = "",
    until: Until = "",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest events shown.")] = 50,
    database_url: DatabaseUrl = None,
) -> None:
    """The newest events, one a line: time, actor, action, workspace, target, details."""
    asked = audit_log.Request(action, user, workspace, since, until)
    with opened(database_url) as app_, app_.reading() as session:
        filters = audit_log.parse_filters(session, audit_log.OPERATOR, asked)
        page = list_events(session, scope=audit_log.OPERATOR, filters=filters, per_page=limit)
        for row in page.rows:
            target = f"{row.target_type}:{row.target_id}" if row.target_type else "-"
            typer.echo(
                "\t".join(
                    (
                        row.at.isoformat(timespec="seconds"),
                        row.actor or "-",
                        row.action,
                        row.workspace_key or "-",
                        target,
                        json.dumps(row.details, ensure_ascii=False, sort_keys=True),
                    )
                )
            )
    typer.echo(translate("security_sessions.cli.listed", cli_locale(), shown=len(page.rows),
                         total=page.total), err=True)  # fmt: skip


@app.command("export")
def export(
    output: Annotated[Path, typer.Argument(help="The CSV file to write.")],
    action: Action = "",
    user: User = "",
    workspace: Workspace = "",
    since: Since = "",
    until: Until = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Every matching event, oldest first, as CSV (the audit page's download)."""
    asked = audit_log.Request(action, user, workspace, since, until)
    with opened(database_url) as app_, app_.reading() as session:
        filters = audit_log.parse_filters(session, audit_log.OPERATOR, asked)
        rows = iter_events(session, scope=audit_log.OPERATOR, filters=filters)
        with output.open("w", encoding="utf-8", newline="") as handle:
            count = write_csv(handle, rows, language=cli_locale())
    typer.echo(translate("security_sessions.cli.exported", cli_locale(), n=count,
                         path=str(output)))  # fmt: skip
