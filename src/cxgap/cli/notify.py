"""``cxgap notify send``: deliver every community notice waiting now, then exit
(``docs/community.md``). The background worker does the same every minute."""

from __future__ import annotations

import typer

from cxgap.cli.common import DatabaseUrl, fail, opened
from cxgap.mail import mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services import idea_notifications

app = typer.Typer(help="The community's e-mail notifications.", no_args_is_help=True)


@app.command("send")
def send(database_url: DatabaseUrl = None) -> None:
    """Send every notification waiting now through CXGAP_SMTP_URL and print what happened."""
    with opened(database_url) as app_:
        settings = app_.settings
        with app_.transaction() as session:
            waiting = idea_notifications.pending(session)
        if waiting and not mail_configured(settings):
            raise fail(
                f"Error: {waiting} notifications are waiting but e-mail is not configured: "
                "set CXGAP_SMTP_URL and CXGAP_MAIL_FROM (nothing was sent; they keep waiting)"
            )
        outcome = idea_notifications.Outcome()
        if waiting:
            outcome = idea_notifications.deliver_pending(
                app_.sessions,
                send=mailer_for(settings).send,
                secret=settings.resolved_secret_key(),
                public_url=settings.public_url,
            )
    typer.echo(
        f"{outcome.sent} sent, {outcome.refused} refused by the server, "
        f"{outcome.skipped} not sent (see the jobs page or docs/community.md)."
    )
    if outcome.refused or outcome.skipped:
        raise typer.Exit(1)
