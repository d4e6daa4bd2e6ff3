"""``cxgap sla policy show|set`` and ``cxgap credits accounts|incidents``: a workspace's stored
service levels from the command line (docs/service-menu.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, cli_locale, opened
from cxgap.cli.sla import (
    DetailsOption,
    Format,
    FormatOption,
    NowOption,
    as_of,
    emit,
    load,
    refused,
)
from cxgap.errors import ValidationError
from cxgap.services import (
    availability_incidents,
    case_sla,
    credit_statements,
    service_accounts,
    service_levels,
)
from cxgap.services.workspaces import get_workspace
from cxgap.sla.compliance_report import compliance_json, compliance_table
from cxgap.sla.documents import read_month
from cxgap.sla.reading import Reader
from cxgap.sla.report import credits_json
from cxgap.sla.tables import credits_table

policy_app = typer.Typer(
    help="The workspace's calendar, policies and service menu.", no_args_is_help=True
)


@policy_app.command("show")
def show(workspace: WorkspaceKey, database_url: DatabaseUrl = None) -> None:
    """Print the document with each tier's accounts (a MENU.json ``credits compute`` reads)."""
    with opened(database_url) as app, app.reading() as session:
        found = get_workspace(session, workspace)
        emit(service_levels.full_document(session, workspace=found))


@policy_app.command("set")
def set_document(
    file: Annotated[Path, typer.Argument(help="MENU.json or POLICY.json with tiers.")],
    workspace: WorkspaceKey,
    database_url: DatabaseUrl = None,
) -> None:
    """Replace the document (the previous version is kept); refused with its JSON path."""
    try:
        _, document = load(file)
        service_levels.validate_document(document, source=file.name)
        with opened(database_url) as app, app.transaction() as session:
            found = get_workspace(session, workspace)
            saved = service_levels.save_document(
                session, workspace=found, document=document, user_id=None
            )
    except ValidationError as exc:
        raise refused(exc) from None
    typer.echo(f"Saved version {saved.version}.")


def accounts(workspace: WorkspaceKey, database_url: DatabaseUrl = None) -> None:
    """List the service accounts and their tier (JSON)."""
    with opened(database_url) as app, app.reading() as session:
        found = get_workspace(session, workspace)
        rows = service_accounts.list_accounts(session, workspace=found)
    typer.echo(json.dumps([vars(a) for a in rows], ensure_ascii=False, indent=2))


def incidents(
    workspace: WorkspaceKey,
    import_csv: Annotated[
        Path | None,
        typer.Option("--import", help="A CSV start,end,accounts,note: all rows or none."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List the availability incidents as INCIDENTS.json, or import a CSV file of them."""
    with opened(database_url) as app, app.transaction() as session:
        found = get_workspace(session, workspace)
        if import_csv is not None:
            count = availability_incidents.import_incidents_csv(
                session, workspace=found, data=import_csv.read_bytes()
            )
            typer.echo(f"Imported {count} incidents.")
            return
        rows = availability_incidents.list_incidents(session, workspace=found)
    document = [
        {
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "accounts": "all" if r.accounts is None else r.accounts,
            "note": r.note,
        }
        for r in rows
    ]
    emit({"incidents": document})


def statement(
    workspace: WorkspaceKey,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    now: NowOption = None,
    format: FormatOption = Format.JSON,
    details: DetailsOption = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Each account's credit for the month from the stored cases and incidents (the same
    JSON as ``credits compute``; ``--details`` adds the cases and downtime behind it)."""
    with opened(database_url) as app, app.reading() as session:
        found = get_workspace(session, workspace)
        zone = case_sla.zone_of(session, found.id)
        try:
            chosen = read_month(Reader("--month"), month)
            instant = as_of(now, zone)
        except ValidationError as exc:
            raise refused(exc) from None
        statements = credit_statements.month_credits(session, found, chosen, instant)
    if format is Format.JSON:
        emit(credits_json(statements, details=details))
    else:
        typer.echo(credits_table(statements, cli_locale()))


def compliance(
    workspace: WorkspaceKey,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    now: NowOption = None,
    format: FormatOption = Format.JSON,
    database_url: DatabaseUrl = None,
) -> None:
    """The SLA compliance of the month's stored cases, overall and by tier, priority, team and
    channel with 95 % Wilson intervals (the same JSON as ``sla compliance`` on files)."""
    with opened(database_url) as app, app.reading() as session:
        found = get_workspace(session, workspace)
        zone = case_sla.zone_of(session, found.id)
        try:
            chosen = read_month(Reader("--month"), month)
            instant = as_of(now, zone)
        except ValidationError as exc:
            raise refused(exc) from None
        result = credit_statements.month_compliance(session, found, chosen, instant)
    if format is Format.JSON:
        emit(compliance_json(result, zone))
    else:
        typer.echo(compliance_table(result, cli_locale()))
