"""Sending rendered letters over one SMTP connection, one outcome per recipient.

Nothing here logs an address, a token or a message body: failures are reported to the caller,
who stores them against the recipient's row.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cxgap.config import Settings
from cxgap.errors import MailNotConfiguredError, MailServerError
from cxgap.mail.message import Letter, build_message, check_sender
from cxgap.mail.smtp_url import SmtpConfig, parse_smtp_url


@dataclass(frozen=True)
class Delivery:
    """What became of one letter: accepted by the server, or refused with a short reason."""

    to: str
    ok: bool
    reason: str = ""


def _describe(exc: Exception) -> str:
    """A short reason without the recipient's address (servers often echo it)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [str(code) for code, _ in exc.recipients.values()]
        return f"recipient refused by the server (SMTP {', '.join(codes)})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"refused by the server (SMTP {exc.smtp_code})"
    return type(exc).__name__


@dataclass(frozen=True)
class Mailer:
    config: SmtpConfig
    sender: str

    @contextmanager
    def _connection(self) -> Iterator[smtplib.SMTP]:
        config = self.config
        context = ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if config.use_tls:
                smtp = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.starttls:
                smtp.starttls(context=context)
            if config.username:
                smtp.login(config.username, config.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            if smtp is not None:
                smtp.close()
            raise MailServerError(
                f"Cannot send e-mail through {config.host}:{config.port}: {_describe(exc)}"
            ) from None
        try:
            yield smtp
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def send(self, letters: Iterable[Letter]) -> list[Delivery]:
        """Send every letter over one connection; a recipient refused does not stop the rest,
        and a connection lost marks the letters not yet sent as failed."""
        check_sender(self.sender)
        pending = list(letters)
        outcomes: list[Delivery] = []
        with self._connection() as smtp:
            for position, letter in enumerate(pending):
                try:
                    smtp.send_message(build_message(letter, sender=self.sender))
                except smtplib.SMTPServerDisconnected:
                    lost = "the mail server closed the connection"
                    outcomes.extend(Delivery(rest.to, False, lost) for rest in pending[position:])
                    break
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                    outcomes.append(Delivery(letter.to, False, _describe(exc)))
                else:
                    outcomes.append(Delivery(letter.to, True))
        return outcomes


def mailer_for(settings: Settings) -> Mailer:
    """The configured mailer; MailNotConfiguredError names the missing setting."""
    if not settings.smtp_url:
        raise MailNotConfiguredError("E-mail is not configured: set CXGAP_SMTP_URL")
    if not settings.mail_from:
        raise MailNotConfiguredError("E-mail is not configured: set CXGAP_MAIL_FROM")
    return Mailer(parse_smtp_url(settings.smtp_url), check_sender(settings.mail_from))


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_url and settings.mail_from)
