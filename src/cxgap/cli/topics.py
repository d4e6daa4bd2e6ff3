"""``cxgap topics``: a workspace's taxonomy from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, opened
from cxgap.services import taxonomy
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="The taxonomy of topics of a workspace.", no_args_is_help=True)


@app.command("list")
def list_(
    workspace: WorkspaceKey,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Every topic with its pillars, how many feedback records mention it, and its status."""
    with opened(database_url) as app_, app_.transaction() as session:
        rows = taxonomy.topic_rows(session, get_workspace(session, workspace))
        listed = [
            {
                "key": r.topic.key,
                "name_en": r.topic.name_en,
                "name_fr": r.topic.name_fr,
                "pillars": list(r.topic.pillar_keys),
                "volume": r.volume,
                "active": r.topic.active,
                "origin": r.topic.origin,
            }
            for r in rows
        ]
    if as_json:
        typer.echo(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    for item in listed:
        status = "" if item["active"] else "  (retired)"
        pillars = ", ".join(item["pillars"])  # type: ignore[arg-type]
        typer.echo(f"{item['key']:<24} {item['volume']:>8,}  {item['name_en']} [{pillars}]{status}")
