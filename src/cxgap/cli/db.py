"""``cxgap db``: schema migrations, and masking the contact details stored before."""

from __future__ import annotations

from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, opened
from cxgap.services.contact_masking import mask_stored_contacts
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(database_url: DatabaseUrl = None) -> None:
    """Create or migrate the schema to the latest version."""
    with opened(database_url):
        typer.echo("Database is up to date.")


@app.command("mask-contacts")
def mask_contacts(
    workspace: Annotated[
        str | None, typer.Option(help="Only this workspace's verbatims (default: all).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Mask the e-mails, phone, card, IBAN and social security numbers inside the verbatims
    stored before masking was on; running it again changes nothing."""
    with opened(database_url) as app_, app_.transaction() as session:
        chosen = get_workspace(session, workspace) if workspace else None
        counts = mask_stored_contacts(session, workspace=chosen)
    typer.echo(
        f"Masked contact details in {counts.feedback} feedback texts, "
        f"{counts.customer_comments} customer comments and "
        f"{counts.internal_comments} staff comments."
    )
