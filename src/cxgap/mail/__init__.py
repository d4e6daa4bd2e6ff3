"""Outgoing e-mail: the SMTP server named by a URL, bilingual messages with a text and an
HTML part, and delivery that reports each recipient's outcome without logging addresses."""

from cxgap.mail.message import Letter, build_message
from cxgap.mail.sender import Delivery, Mailer, mailer_for
from cxgap.mail.smtp_url import SmtpConfig, parse_smtp_url

__all__ = [
    "Delivery",
    "Letter",
    "Mailer",
    "SmtpConfig",
    "build_message",
    "mailer_for",
    "parse_smtp_url",
]
