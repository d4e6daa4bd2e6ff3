"""``cxgap assess``: the pillar assessment — results report, raw export, CSV import."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, fail, opened
from cxgap.files import write_private_text
from cxgap.jobs.worker import enqueue_enrichment
from cxgap.services.exports import export_answers
from cxgap.services.reports import render_report
from cxgap.services.results import results_for
from cxgap.services.survey_imports import import_customer_csv
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="The 10-pillar assessment and its gaps.", no_args_is_help=True)
# Files on the operator's own disk: the web upload limit does not apply, memory does.
CLI_MAX_IMPORT_BYTES = 512 * 1024 * 1024


class ReportFormat(StrEnum):
    JSON = "json"
    HTML = "html"


@app.command("report")
def report(
    workspace: WorkspaceKey,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.JSON,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    locale: Annotated[str, typer.Option(help="Report language: en or fr.")] = "en",
    min_group_size: Annotated[int, typer.Option(min=1)] = 30,
    database_url: DatabaseUrl = None,
) -> None:
    """Print (or write) the results: JSON object or self-contained HTML report."""
    if locale not in {"en", "fr"}:
        raise fail(f"Error: --locale must be en or fr, got {locale!r}")
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        results = results_for(session, ws, min_group_size=min_group_size)
        name = ws.name
    if format is ReportFormat.JSON:
        text = json.dumps(results, ensure_ascii=False, indent=2)
    else:
        text = render_report(results, locale=locale, workspace_name=name)
    if output is None:
        typer.echo(text)
    else:
        write_private_text(output, text)
        typer.echo(f"Wrote {output}", err=True)


@app.command("export")
def export(
    workspace: WorkspaceKey,
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write into.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Write the raw internal and customer answers as CSV (one row per answer)."""
    with opened(database_url) as app_, app_.reading() as session:
        summary = export_answers(
            session, workspace=get_workspace(session, workspace), output_dir=output
        )
    typer.echo(
        f"Wrote {summary.internal_rows} internal answers to {summary.internal_path} and "
        f"{summary.customer_rows} customer answers to {summary.customer_path}"
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    workspace: WorkspaceKey,
    skip_invalid: Annotated[
        bool,
        typer.Option(help="Store the valid rows and report the others (default: all or nothing)."),
    ] = False,
    encoding: Annotated[
        str, typer.Option(help="Text encoding (utf-8, cp1252, latin-1…); auto detects it.")
    ] = "auto",
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise/--keep-customer-ref",
            help="Replace customer_ref by a keyed hash before storing (the default, as in "
            "the browser and the API); --keep-customer-ref stores it in clear.",
        ),
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Import customer answers from a CSV file (same columns as `assess export`)."""
    with opened(database_url) as app_, app_.transaction() as session:
        report_ = import_customer_csv(
            session,
            workspace=get_workspace(session, workspace),
            data=file.read_bytes(),
            source=file.name,
            max_bytes=CLI_MAX_IMPORT_BYTES,
            skip_invalid=skip_invalid,
            encoding=None if encoding == "auto" else encoding,
            pseudonym_secret=app_.settings.resolved_secret_key() if pseudonymise else None,
        )
        if report_.stored:  # their comments are feedback now: a worker or `cxgap enrich` runs it
            enqueue_enrichment(session, get_workspace(session, workspace))
    typer.echo(f"Stored {report_.stored} of {report_.rows_read} rows from {file.name}.")
    for problem in report_.problems:
        typer.secho(f"  skipped: {problem.describe()}", err=True, fg=typer.colors.YELLOW)
