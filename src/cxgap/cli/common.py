"""What every command shares: the --database-url option, opening the app, error handling."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer

from cxgap.cli.problems import refusal_text
from cxgap.config import setting_value
from cxgap.errors import CxgapError, MissingTextDependencyError, ValidationError
from cxgap.i18n import translate
from cxgap.services.core import Cxgap
from cxgap.text.dependencies import INSTALL_COMMAND, missing_text_distributions

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


class TextOrJson(StrEnum):
    TEXT = "text"
    JSON = "json"


# ``--format json`` like ``cxgap sla`` and ``cxgap credits``; ``--json``, the older spelling of
# ``cxgap cases``, stays as its shorthand (see ``wants_json``).
OutputFormat = Annotated[
    TextOrJson | None, typer.Option("--format", help="text (default) or json.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Same as --format json.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def wants_json(format: TextOrJson | None, as_json: bool) -> bool:
    """Whether to print JSON; ``--json`` with ``--format text`` is refused (exit code 2)."""
    if as_json and format is TextOrJson.TEXT:
        raise fail("Error: --json and --format text contradict each other: give one of them")
    return as_json or format is TextOrJson.JSON


def cli_locale() -> str:
    """``fr`` or ``en``, from CXGAP_LOCALE or the usual locale variables (``fr_FR.UTF-8``…)."""
    system = (os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"), os.environ.get("LANG"))
    for value in (setting_value("CXGAP_LOCALE"), *system):
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def text_missing_message(missing: tuple[str, ...] | None = None) -> str:
    """What to say, in the user's language, when the text libraries are not installed."""
    names = ", ".join(missing or missing_text_distributions())
    return translate("text.missing.cli", cli_locale(), missing=names, command=INSTALL_COMMAND)


def require_text_libraries() -> None:
    """Refuse (exit code 2) before starting work that needs the text libraries."""
    if missing_text_distributions():
        raise fail(text_missing_message())


def refusal(exc: CxgapError) -> typer.Exit:
    """The message and exit code 2 for a cxgap error."""
    if isinstance(exc, MissingTextDependencyError):
        return fail(text_missing_message((exc.module,)) if exc.module else f"Error: {exc}")
    locale = cli_locale()
    if isinstance(exc, ValidationError) and locale != "en":  # file problems in French
        return fail(refusal_text(exc, locale))
    return fail(f"Error: {exc}")


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
        raise refusal(exc) from None
    finally:
        if app is not None:
            app.dispose()
