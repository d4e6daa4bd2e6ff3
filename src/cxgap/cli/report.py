"""``cxgap report``: reports built from every part of a workspace (the executive report)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, opened
from cxgap.services.executive_output import executive_file
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Reports for leadership teams.", no_args_is_help=True)


class Format(StrEnum):
    PDF = "pdf"
    HTML = "html"
    JSON = "json"


class Locale(StrEnum):
    EN = "en"
    FR = "fr"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


@app.command("executive")
def executive(
    workspace: WorkspaceKey,
    format_: Annotated[Format, typer.Option("--format", "-f", help="pdf, html or json.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    lang: Annotated[Locale, typer.Option("--lang", help="Language of the report.")] = Locale.EN,
    period: Annotated[
        str | None,
        typer.Option(
            help="2026-11, 2026-Q3, 2026 or 2026-09-01..2026-11-30 (default: the last full month)."
        ),
    ] = None,
    paper: Annotated[
        Paper | None, typer.Option(help="PDF paper (default: a4 in French, letter in English).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the executive report of a workspace for a period: headline figures with their
    change, the three gaps per pillar, priorities, irritants, the measured journey map,
    actions and integrity warnings."""
    # A transaction: the results cache and the journey overlay are brought up to date.
    with opened(database_url) as app_, app_.transaction() as session:
        chosen = get_workspace(session, workspace)
        rendered = executive_file(
            session,
            chosen,
            period=period,
            fmt=format_.value,
            locale=lang.value,
            paper=paper and paper.value,
        )
    output.write_bytes(rendered.content)
    typer.echo(f"Wrote {output}")
