"""What every command shares: the --database-url option, opening the app, error handling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from cxgap.errors import CxgapError
from cxgap.services.core import Cxgap

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CXGAP_DATABASE_URL",
        help="SQLAlchemy database URL (default: SQLite file in CXGAP_DATA_DIR).",
        show_envvar=True,
    ),
]
WorkspaceKey = Annotated[str, typer.Option("--workspace", "-w", help="Workspace key.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@contextmanager
def opened(database_url: str | None, *, migrate: bool = True) -> Iterator[Cxgap]:
    """The app on the chosen database, migrated; cxgap errors become exit code 2."""
    app: Cxgap | None = None
    try:
        app = Cxgap.from_env(database_url)
        if migrate:
            app.upgrade()
        yield app
    except CxgapError as exc:  # ValidationError included: its text lists every problem
        raise fail(f"Error: {exc}") from None
    finally:
        if app is not None:
            app.dispose()
