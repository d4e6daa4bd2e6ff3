"""``cxgap export feedback``: every feedback record of a workspace as CSV, XLSX or JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, fail, opened
from cxgap.files import open_private
from cxgap.services.feedback_export import export_feedback, parse_format
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Export data from a workspace.", no_args_is_help=True)


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


@app.command("feedback")
def feedback(
    workspace: WorkspaceKey,
    format_: Annotated[Format, typer.Option("--format", "-f", help="File format.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="File to write (default: stdout)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write every stored feedback record with its enrichment; the file re-imports as it is
    with `cxgap import feedback FILE --workspace OTHER`."""
    fmt = parse_format(format_.value)
    if output is None and fmt == "xlsx" and sys.stdout.isatty():
        raise fail(
            "Error: an XLSX workbook is binary and cannot be shown in a terminal: "
            "give --output PATH, or redirect the output to a file"
        )
    with opened(database_url) as app_, app_.reading() as session:
        found = get_workspace(session, workspace)
        if output is None:
            count = export_feedback(session, workspace=found, fmt=fmt, target=sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open_private(output) as target:
                count = export_feedback(session, workspace=found, fmt=fmt, target=target)
    if output is not None:
        typer.echo(f"Wrote {count:,} feedback records to {output}", err=True)
