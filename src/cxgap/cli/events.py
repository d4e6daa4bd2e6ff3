"""``cxgap events``: import touchpoint event files, and read their variants.

The contract (issue 14), kept stable:

- ``cxgap events import FILE --workspace W [--preset NAME] [--mapping FILE]``;
- ``cxgap events variants --workspace W --format json`` prints ``{"cases", "events",
  "variants": [{"activities": [...], "cases": …, "share": …}]}``, most frequent first.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import (
    DatabaseUrl,
    OutputFormat,
    TextOrJson,
    WorkspaceKey,
    cli_locale,
    opened,
)
from cxgap.errors import ValidationError
from cxgap.events.importing import EventImportResult, import_events
from cxgap.events.mappingfile import load_event_mapping
from cxgap.events.problems import refusal_lines
from cxgap.events.spec import PRESET_NAMES
from cxgap.events.variants import workspace_variants
from cxgap.jobs import queue_warm_pages
from cxgap.paths.variants import Variants
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Touchpoint events: import files, read the variants.", no_args_is_help=True)


class DateOrder(StrEnum):
    dmy = "dmy"
    mdy = "mdy"


ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


@app.command("import")
def import_(
    file: ExistingFile,
    workspace: WorkspaceKey,
    preset: Annotated[
        str | None,
        typer.Option(
            help=f"Layout: {', '.join(PRESET_NAMES)}; detected from the columns when left out."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, readable=True, help="Mapping file (JSON)."),
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise/--keep-customer-ref",
            help="Replace customer and case references with a keyed hash (the default, as for "
            "feedback); --keep-customer-ref stores them in clear.",
        ),
    ] = True,
    date_order: Annotated[
        DateOrder | None,
        typer.Option(help="Day first (dmy) or month first (mdy), when no date shows which."),
    ] = None,
    format: OutputFormat = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Store the events of a CSV, XLSX, JSON Lines or XES file (gzipped too), all or nothing."""
    spec = None
    with opened(database_url) as app_:
        try:
            if mapping is not None:
                spec = load_event_mapping(mapping)
            if preset is not None and spec is None and preset not in PRESET_NAMES:
                raise typer.BadParameter(
                    f"must be one of {', '.join(PRESET_NAMES)}", param_hint="--preset"
                )
            key = app_.settings.resolved_secret_key() if pseudonymise else None
            with app_.transaction() as session:
                workspace_id = get_workspace(session, workspace).id
                result = import_events(
                    session,
                    workspace_id,
                    file,
                    name=file.name,
                    preset=preset,
                    spec=spec,
                    pseudonym_key=key,
                    date_order=None if date_order is None else date_order.value,
                )
                queue_warm_pages(session, workspace_id)  # the pages, for the next worker
        except ValidationError as exc:
            typer.secho("\n".join(refusal_lines(exc, cli_locale())), err=True, fg="red")
            raise typer.Exit(2) from None
    if format is TextOrJson.JSON:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        typer.echo(_summary(result))


def _summary(result: EventImportResult) -> str:
    columns = ", ".join(f"{name}={column}" for name, column in result.columns.items())
    return (
        f"Stored {result.events:,} events of {result.cases:,} cases from {result.name} "
        f"(preset {result.preset}; {columns}; {len(result.attributes)} attributes kept)"
    )


@app.command("variants")
def variants(
    workspace: WorkspaceKey,
    format: OutputFormat = None,
    lifecycle: Annotated[
        list[str] | None,
        typer.Option(
            help="Count only the events of this lifecycle transition (repeatable, e.g. "
            "complete); events without one always count. Default: every event."
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(min=1, help="Show only the N most frequent variants (text: 20)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The variants (distinct activity sequences of the cases), most frequent first."""
    with opened(database_url) as app_, app_.reading() as session:
        workspace_id = get_workspace(session, workspace).id
        found = workspace_variants(session, workspace_id, lifecycles=lifecycle or None)
    if format is TextOrJson.JSON:
        shape = found.as_json()
        if top is not None:
            shape["variants"] = shape["variants"][:top]  # type: ignore[index]
        typer.echo(json.dumps(shape, ensure_ascii=False))
        return
    typer.echo(_variants_text(found, top or 20))


def _variants_text(found: Variants, top: int) -> str:
    lines = [f"{found.cases:,} cases, {found.events:,} events, {len(found.variants):,} variants"]
    for variant in found.variants[:top]:
        path = " → ".join(variant.activities)
        lines.append(f"{variant.cases:>8,}  {variant.share:6.1%}  {path}")
    hidden = len(found.variants) - top
    if hidden > 0:
        lines.append(f"… {hidden:,} more (--top N, or --format json)")
    return "\n".join(lines)
