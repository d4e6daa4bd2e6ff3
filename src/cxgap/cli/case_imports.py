"""``cxgap cases import``: past help-desk tickets stored as cases (docs/cases.md)."""

from __future__ import annotations

import json
from pathlib import Path
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
from cxgap.cli.sla_history import DateOrder, Preset, mapping_of, ticket_refusal
from cxgap.errors import ValidationError
from cxgap.i18n import translate
from cxgap.services.case_imports import CaseImport, import_ticket_cases
from cxgap.services.workspaces import get_workspace


def import_command(
    workspace: WorkspaceKey,
    file: Annotated[
        Path, typer.Argument(help="The tickets: a CSV, an Excel workbook or Zendesk's JSON.")
    ],
    preset: Annotated[
        Preset | None, typer.Option("--preset", help="The layout (default: detected).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="field=Column name (repeatable): id, created_at, …"),
    ] = None,
    date_order: Annotated[
        DateOrder | None,
        typer.Option("--date-order", help="dmy or mdy, when no date shows which."),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option("--history", help="Zendesk JSON with metric events, audits or users."),
    ] = None,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Store past tickets as cases (again: updated, never duplicated), measured by the case
    SLA engine and counted in credits and compliance. A bad row stores nothing."""
    as_json = wants_json(format, as_json)
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        try:  # a refusal leaves the transaction, which stores nothing
            done = import_ticket_cases(
                session,
                workspace=found,
                path=file,
                preset=None if preset is None else preset.value,
                mapping=mapping_of(mapping or []),
                date_order=None if date_order is None else date_order.value,
                history=history or [],
            )
        except ValidationError as exc:
            raise ticket_refusal(exc) from None
    if as_json:
        typer.echo(json.dumps(done.report, ensure_ascii=False))
    else:
        typer.echo(summary(done, file.name, cli_locale()))


def summary(done: CaseImport, file: str, locale: str) -> str:
    report = done.report
    lines = [translate("tiers.import.summary", locale, file=file, **report)]
    if report["unknown_teams"]:
        lines.append(translate("tiers.import.unknown_teams", locale, count=report["unknown_teams"]))
    return "\n".join(lines)
