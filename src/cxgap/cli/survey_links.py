"""``cxgap survey links``: a signed survey link per shop or agent (services/survey_links.py)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cxgap.cli.common import (
    AsJson,
    DatabaseUrl,
    OutputFormat,
    WorkspaceKey,
    cli_locale,
    fail,
    opened,
    wants_json,
)
from cxgap.db.tables import CustomerSurvey
from cxgap.errors import ValidationError
from cxgap.services import campaigns, survey_links
from cxgap.services.workspaces import get_workspace


def links(
    workspace: WorkspaceKey,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help="A shop or agent; repeat for more.")
    ] = None,
    survey: Annotated[
        str | None,
        typer.Option(help="The survey's key (default: the workspace's only survey)."),
    ] = None,
    known: Annotated[
        bool, typer.Option("--known", help="Also every unit the answers already name.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(help="The public address (default: CXGAP_PUBLIC_URL; else paths only)."),
    ] = None,
    format: OutputFormat = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Print a signed link per shop or agent: answers sent through it carry the unit."""
    if not unit and not known:
        raise fail("Error: give --unit NAME (repeatable) or --known")
    to_json = wants_json(format, as_json)
    with opened(database_url) as app_, app_.reading() as session:
        found = _survey(session, workspace, survey)
        base = app_.settings.public_url if base_url is None else base_url
        try:
            made = survey_links.unit_links(
                session,
                found,
                base=base,
                secret=app_.settings.resolved_secret_key(),
                units=unit or [],
                known=known,
            )
        except ValidationError as exc:
            raise fail(f"Error: {survey_links.unit_refusal(exc, cli_locale())}") from None
    if to_json:
        rows = [{"unit": m.unit, "url": m.url, "answers": m.answers} for m in made]
        typer.echo(json.dumps({"survey": found.key, "links": rows}, ensure_ascii=False))
        return
    for m in made:
        typer.echo(f"{m.unit}\t{m.url}")


def _survey(session: Session, workspace_key: str, key: str | None) -> CustomerSurvey:
    workspace = get_workspace(session, workspace_key)
    if key is not None:
        return campaigns.get_survey(session, workspace, key)
    surveys = [s for s, _ in campaigns.surveys_of(session, workspace)]
    if len(surveys) != 1:
        keys = ", ".join(s.key for s in surveys) or "none"
        raise fail(f"Error: give --survey KEY (the workspace's surveys: {keys})")
    return surveys[0]
