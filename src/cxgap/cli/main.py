"""The ``cxgap`` command."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from cxgap.cli.commands import OnDemandGroup
from cxgap.cli.common import DatabaseUrl, opened, text_missing_message
from cxgap.config import Settings, hand_down

# Every other command's module is imported when that command runs (cli/commands.py).
app = typer.Typer(
    help="cxgap: measure the gap between the experience you believe you deliver and the one "
    "your customers live.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=OnDemandGroup,
)


class DemoLanguage(StrEnum):
    EN = "en"
    FR = "fr"


@app.command("demo")
def demo(
    seed: int = 2026,
    customers: Annotated[int, typer.Option(min=1, help="Number of customer answers.")] = 640,
    enrich_texts: Annotated[
        bool, typer.Option("--enrich/--no-enrich", help="Enrich the demo feedback right away.")
    ] = True,
    language: Annotated[
        DemoLanguage,
        typer.Option(
            help="Language of the touchpoint goals and interlocutors (persona texts and topic "
            "descriptions are stored in both languages)."
        ),
    ] = DemoLanguage.EN,
    database_url: DatabaseUrl = None,
) -> None:
    """Create the demo workspace (does nothing if it exists), its feedback enriched."""
    from cxgap.cli import enrich
    from cxgap.services.demo import DEMO_KEY, create_demo_workspace

    with opened(database_url) as app_, app_.transaction() as session:
        created = create_demo_workspace(
            session, seed=seed, n_customers=customers, locale=language.value
        )
    typer.echo("Created the demo workspace." if created else "The demo workspace already exists.")
    if created and enrich_texts:
        # The demo's feedback is enriched like any import, so every screen is filled in.
        enrich.enrich(DEMO_KEY, database_url=database_url)


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    demo_if_empty: Annotated[
        bool, typer.Option(help="Create the demo workspace when the database has no workspace.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Web processes answering requests (about one per core; docs/scale.md). "
            "Background jobs run once, in the command's own process.",
        ),
    ] = 1,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (secret links redacted).")
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Start the web app (migrating the database and creating the first admin if needed)."""

    from cxgap.jobs.worker import enqueue_enrichment
    from cxgap.services.action_demo import add_demo_schedule
    from cxgap.services.demo import DEMO_KEY, create_demo_workspace
    from cxgap.services.setup import ensure_admin
    from cxgap.services.workspaces import get_workspace, list_workspaces
    from cxgap.text.dependencies import missing_text_distributions

    with opened(database_url) as app_:
        demo_made = False
        if demo_if_empty:
            with app_.transaction() as session:
                if not list_workspaces(session):
                    demo_made = create_demo_workspace(session)
                    # The app's worker thread enriches the demo feedback in a few seconds.
                    enqueue_enrichment(session, get_workspace(session, DEMO_KEY))
        hint = ensure_admin(app_)
        if demo_made:  # the first admin receives the demo's monthly executive report
            with app_.transaction() as session:
                add_demo_schedule(session, workspace=get_workspace(session, DEMO_KEY))
        settings = app_.settings
    if missing_text_distributions():  # a slim install: the screens say so too
        typer.secho(text_missing_message(), err=True, fg=typer.colors.YELLOW)
    typer.echo(f"\ncxgap is starting on http://{host}:{port}")
    if hint.password:
        typer.echo(f"Log in as {hint.email} with password {hint.password}")
        typer.echo(f"(kept in {hint.password_file}; delete it once you changed the password)\n")
    else:
        typer.echo(f"Log in as {hint.email} (or any user created with `cxgap user create`)\n")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": access_log,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default, so anything on the same
        # host (or a proxy passing the header through) could pick its own address. The app
        # reads the headers itself, from CXGAP_TRUSTED_PROXIES only (web/client_address.py).
        "proxy_headers": False,
    }
    if workers == 1:
        _serve_one(settings, options)
    else:
        _serve_many(settings, workers, options)


def _serve_one(settings: Settings, options: dict[str, Any]) -> None:
    import uvicorn

    from cxgap.web.app import create_app

    uvicorn.run(create_app(settings, background_jobs=True), **options)


def _serve_many(settings: Settings, workers: int, options: dict[str, Any]) -> None:
    """uvicorn's supervisor starts ``workers`` processes that each build the app from the
    environment (``web.app.served_app``); this process runs the background work once."""
    import uvicorn

    from cxgap.services.core import Cxgap
    from cxgap.web.app import background_work

    # Every process must sign cookies and CSRF tokens with the same key and open the same
    # database: resolve both here, once, and hand them down through the environment.
    hand_down(settings)
    cx = Cxgap(settings)
    try:
        with background_work(cx):
            uvicorn.run("cxgap.web.app:served_app", factory=True, workers=workers, **options)
    finally:
        cx.dispose()


def main() -> None:
    app()
