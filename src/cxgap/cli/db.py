"""``cxgap db``: schema migrations."""

from __future__ import annotations

import typer

from cxgap.cli.common import DatabaseUrl, opened

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(database_url: DatabaseUrl = None) -> None:
    """Create or migrate the schema to the latest version."""
    with opened(database_url):
        typer.echo("Database is up to date.")
