"""``cxgap journey``: list, export and import customer journey maps."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, fail, opened
from cxgap.cli.job_wait import run_or_follow
from cxgap.jobs import change_segment_rule
from cxgap.journeys.export import render
from cxgap.services import journeys
from cxgap.services.overlay import journey_with_overlay
from cxgap.services.workspaces import get_workspace, segments_of

app = typer.Typer(help="Personas and customer journey maps.", no_args_is_help=True)


class Format(StrEnum):
    JSON = "json"
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"


class Locale(StrEnum):
    EN = "en"
    FR = "fr"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


@app.command("list")
def list_(workspace: WorkspaceKey, database_url: DatabaseUrl = None) -> None:
    """List the journeys of a workspace: key, version and name."""
    with opened(database_url) as app_, app_.reading() as session:
        rows = journeys.list_journeys(session, workspace=get_workspace(session, workspace))
        lines = [f"{row.key}\t{row.version}\t{row.name_en}" for row in rows]
    for line in lines:
        typer.echo(line)


@app.command("export")
def export(
    workspace: WorkspaceKey,
    journey: Annotated[str, typer.Option("--journey", "-j", help="Journey key.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format_: Annotated[Format, typer.Option("--format", "-f")] = Format.JSON,
    locale: Annotated[Locale, typer.Option(help="Language of names and labels.")] = Locale.EN,
    persona: Annotated[
        str | None, typer.Option(help="Measure only the feedback of this persona's segment.")
    ] = None,
    paper: Annotated[
        Paper | None,
        typer.Option(help="PDF paper, landscape (default: a4 in French, letter in English)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write a journey with its measured overlay: contract JSON, or the map as SVG, PNG or
    PDF."""
    # A transaction: the overlay rebuilds its materialised rows when the data changed.
    with opened(database_url) as app_, app_.transaction() as session:
        ws = get_workspace(session, workspace)
        value, _ = journey_with_overlay(session, workspace=ws, key=journey, persona=persona)
    data = render(value, format_.value, locale=locale.value, paper=paper and paper.value)
    output.write_bytes(data)
    typer.echo(f"Wrote {output}")


@app.command("import")
def import_(
    workspace: WorkspaceKey,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a journey from a JSON file exported by ``journey export``."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"Error: {file} is not valid JSON: {exc}") from None
    except RecursionError:  # nested thousands of levels deep: no journey file is
        raise fail(f"Error: {file} nests objects or lists too deeply") from None
    with opened(database_url) as app_, app_.transaction() as session:
        row = journeys.import_journey(
            session, workspace=get_workspace(session, workspace), document=document
        )
        key = row.key
    typer.echo(f"Imported journey {key}.")


@app.command("segments")
def segments(workspace: WorkspaceKey, database_url: DatabaseUrl = None) -> None:
    """List the workspace's segments and the rule that defines each (the one definition every
    screen uses)."""
    with opened(database_url) as app_, app_.reading() as session:
        ws = get_workspace(session, workspace)
        lines = [f"{s.key}\t{s.rule or ''}" for s in segments_of(session, ws)]
    for line in lines:
        typer.echo(line)


@app.command("segment-rule")
def segment_rule(
    workspace: WorkspaceKey,
    segment: Annotated[str, typer.Option("--segment", "-s", help="Segment key.")],
    rule: Annotated[
        str,
        typer.Argument(
            help='e.g. \'generation = "Gen X" and segment = "pro"\'; an empty rule clears it.'
        ),
    ],
    wait: Annotated[
        bool,
        typer.Option(
            "--wait/--no-wait",
            help="Wait until the new rule is in use (the default), or only queue it for a worker.",
        ),
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Define a segment by a rule over customer attributes and survey answers.

    The rule is checked and saved at once (a bad one is refused, exit code 2, and nothing
    changes); its members and Listening counts are rebuilt by a background job. By default
    the command runs that job here (or follows the worker that took it), with its progress on
    stderr, and returns once the new rule is in use; --no-wait only queues it for a worker
    (``cxgap worker`` or the web app's): until then the previous rule stays in use."""
    with opened(database_url) as app_:
        with app_.transaction() as session:
            ws = get_workspace(session, workspace)
            parsed, job = change_segment_rule(session, workspace=ws, key=segment, rule=rule)
            job_id = None if job is None else job.id
        said = f"Segment {segment}: {parsed.text if parsed else 'rule cleared'}"
        if job_id is None:
            typer.echo(said)
            return
        if not wait:
            typer.echo(
                f"{said} (queued as job {job_id}: the previous rule stays in use until a"
                " worker applies it)"
            )
            return
        status, error = run_or_follow(app_, job_id, _rule_progress)
    if status != "done":
        raise fail(f"Segment rule job {job_id} {status}: {error}")
    typer.echo(said)


def _rule_progress(stage: str, done: int, total: int) -> str:
    if stage in ("queued", "waiting", "stalled"):
        return f"Membership update {stage}: waiting for the job that holds this segment…"
    return f"Membership update: step {min(done + 1, max(total, 1))} of {max(total, 1)} {stage}…"
