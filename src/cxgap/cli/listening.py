"""``cxgap listening``: maintenance of the Listening screens' pre-aggregated counts."""

from __future__ import annotations

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, cli_locale, opened, refusal
from cxgap.errors import CxgapError
from cxgap.i18n import translate
from cxgap.services.listening_counts import rebuild_counts
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="The Listening screens' pre-aggregated counts.", no_args_is_help=True)


@app.command("rebuild-counts")
def rebuild(workspace: WorkspaceKey, database_url: DatabaseUrl = None) -> None:
    """Recompute a workspace's Listening counts from its feedback and enrichments (a repair
    tool: imports and enrichment keep them up to date in their own transaction)."""
    try:
        with opened(database_url) as app_, app_.transaction() as session:
            done = rebuild_counts(session, workspace=get_workspace(session, workspace))
    except CxgapError as exc:
        raise refusal(exc) from None
    typer.echo(
        translate(
            "scale_lcounts.cli.rebuilt", cli_locale(), workspace=done.workspace, rows=done.rows
        )
    )
