"""``cxgap import feedback``: store a feedback file (survey, reviews, tickets) in a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, opened
from cxgap.ingest import ImportReport, Mode
from cxgap.services import feedback
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Import data into a workspace.", no_args_is_help=True)

ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def _progress(rows: int, bytes_done: int, bytes_total: int | None) -> None:
    share = f" ({bytes_done / bytes_total:.0%})" if bytes_total else ""
    typer.echo(f"… {rows:,} rows read{share}", err=True)


@app.command("feedback")
def feedback_(
    file: ExistingFile,
    workspace: WorkspaceKey,
    preset: Annotated[
        str | None, typer.Option(help="Export layout: qualtrics, trustpilot, zendesk…")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, readable=True, help="Mapping file (JSON)."),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Store the valid rows and report the others.")
    ] = False,
    pseudonymise: Annotated[
        bool, typer.Option(help="Replace customer ids with a keyed hash.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Store feedback records; re-importing a file updates the records it already holds."""
    mode: Mode = "skip_invalid" if skip_invalid else "all_or_nothing"
    with opened(database_url) as app_:
        key = app_.settings.resolved_secret_key() if pseudonymise else None
        try:
            with app_.transaction() as session:
                report = feedback.import_feedback(
                    session,
                    workspace=get_workspace(session, workspace),
                    source=file,
                    name=file.name,
                    preset=preset,
                    mapping=mapping,
                    mode=mode,
                    pseudonym_key=key,
                    progress=_progress,
                )
        except feedback.ImportRefused as exc:
            if exc.report is not None:  # keep the refusal in the import history
                with app_.transaction() as session:
                    feedback.record_refusal(
                        session,
                        workspace=get_workspace(session, workspace),
                        report=exc.report,
                        preset=preset,
                    )
            raise
    typer.echo(_summary(report, file))


def _summary(report: ImportReport, file: Path) -> str:
    return (
        f"Stored {report.records_valid:,} of {report.rows_read:,} records from {file.name} "
        f"({report.duplicates:,} duplicates, {report.problems_total:,} problems)"
    )
