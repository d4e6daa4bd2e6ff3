"""``cxgap import feedback``: store a feedback file (survey, reviews, tickets) in a workspace."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, cli_locale, opened
from cxgap.db import search_index
from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.ingest import ImportReport, Mode
from cxgap.jobs import queue_index_search
from cxgap.services import feedback_imports

app = typer.Typer(help="Import data into a workspace.", no_args_is_help=True)


class DateOrder(StrEnum):
    dmy = "dmy"
    mdy = "mdy"


DATE_ORDER_HINT = (
    "Hint: every date could be read day first or month first; say which with "
    "--date-order dmy (31/03/2024) or --date-order mdy (03/31/2024)."
)

ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


class ProgressLine:
    """Rows read, share of the file and rows/s on stderr, at most once a second and at the
    end, so that a large file shows it is moving without flooding the terminal."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.started = self.shown = time.monotonic()
        self.finished = False

    def __call__(self, rows: int, bytes_done: int, bytes_total: int | None) -> None:
        now = time.monotonic()
        finished = bool(bytes_total) and bytes_done >= (bytes_total or 0)
        if self.finished or (not finished and now - self.shown < self.every):
            return
        self.shown, self.finished = now, finished
        share = f" ({bytes_done / bytes_total:.0%})" if bytes_total else ""
        elapsed = now - self.started
        speed = f", {rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        typer.echo(f"… {rows:,} rows read{share}{speed}", err=True)


@app.command("feedback")
def feedback_(
    file: ExistingFile,
    workspace: WorkspaceKey,
    preset: Annotated[
        str | None,
        typer.Option(
            help="Export layout: qualtrics, surveymonkey, typeform, alchemer, trustpilot…; "
            "detected from the file when left out."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, readable=True, help="Mapping file (JSON)."),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Store the valid rows and report the others.")
    ] = False,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise/--keep-customer-ref",
            help="Replace customer ids with a keyed hash (the default, as in the browser and "
            "the API); --keep-customer-ref stores them in clear.",
        ),
    ] = True,
    date_order: Annotated[
        DateOrder | None,
        typer.Option(
            help="Day first (dmy) or month first (mdy), for dates such as 05/03/2024 "
            "when no value of the column shows which."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Processes mapping the rows of a large file (0: one per CPU, 1: this one "
            "only); default: CXGAP_IMPORT_JOBS.",
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Store feedback records; re-importing a file updates the records it already holds."""
    mode: Mode = "skip_invalid" if skip_invalid else "all_or_nothing"
    with opened(database_url) as app_:
        outcome = feedback_imports.run_feedback_import(
            app_,
            workspace_key=workspace,
            source=file,
            name=file.name,
            preset=preset,
            mapping=mapping,
            mode=mode,
            pseudonymise=pseudonymise,
            progress=ProgressLine(),
            date_order=date_order.value if date_order is not None else None,
            jobs=jobs,
            after=_queue_search,
        )
        for number in outcome.interrupted:
            typer.echo(
                translate("security_imports.cli_interrupted", cli_locale(), id=number), err=True
            )
        if outcome.refusal is not None:  # kept in the import history; exit code 2
            if any(p.code == "ambiguous_date" for p in outcome.refusal.problems):
                typer.echo(DATE_ORDER_HINT, err=True)
            raise outcome.refusal
    if preset is None and mapping is None:
        typer.echo(f"Layout detected: {outcome.preset}", err=True)
    typer.echo(_summary(outcome.report, file))


def _queue_search(session: Session, workspace: Workspace) -> None:
    """In the import's transaction: the search's index of its rows, for the next worker
    (the search reads them meanwhile; db.search_index)."""
    if search_index.has_pending(session, workspace.id):
        queue_index_search(session, workspace.id)


def _summary(report: ImportReport, file: Path) -> str:
    return (
        f"Stored {report.records_valid:,} records from {report.rows_read:,} rows of {file.name} "
        f"({report.duplicates:,} duplicates, {report.problems_total:,} problems, "
        f"skipped: {report.skipped_blank:,} blank responses)"
    )
