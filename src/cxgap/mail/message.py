"""E-mails in the recipient's language: one template per kind, a text and an HTML part."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from cxgap.errors import ConfigError
from cxgap.i18n import DEFAULT_LOCALE, LOCALES, translate

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_DIR = Path(__file__).with_name("templates")
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def long_date(value: datetime, locale: str) -> str:
    """A date as people write it in the letter's language.

    >>> long_date(datetime(2026, 12, 9), "fr"), long_date(datetime(2026, 12, 9), "en")
    ('9 décembre 2026', '9 December 2026')
    """
    months = _MONTHS.get(locale, _MONTHS[DEFAULT_LOCALE]).split()
    return f"{value.day} {months[value.month - 1]} {value.year}"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a letter (the executive report's PDF)."""

    file_name: str
    content: bytes
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class Letter:
    """One e-mail to one person, already rendered."""

    to: str
    subject: str
    text: str
    html: str
    locale: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True,
    )


def render_letter(
    kind: str, *, to: str, locale: str, headers: dict[str, str] | None = None, **context: object
) -> Letter:
    """Render ``templates/<kind>.txt`` and ``.html`` with the ``mail.<kind>.*`` messages."""
    locale = locale if locale in LOCALES else DEFAULT_LOCALE
    env = _environment()
    t = partial(_t, locale)
    values = {"t": t, "locale": locale, **context}
    return Letter(
        to=to,
        subject=t(f"mail.{kind}.subject", **context),
        text=env.get_template(f"{kind}.txt").render(values),
        html=env.get_template(f"{kind}.html").render(values),
        locale=locale,
        headers=dict(headers or {}),
    )


def _t(locale: str, key: str, /, **params: object) -> str:
    return translate(key, locale, **params)


def check_sender(sender: str) -> str:
    """``CX team <cx@example.com>`` or ``cx@example.com``; refused, naming the value, if not."""
    _, address = parseaddr(sender)
    if "@" not in address or " " in address:
        raise ConfigError(f"CXGAP_MAIL_FROM is not an e-mail address: {sender!r}")
    return sender


def build_message(letter: Letter, *, sender: str) -> EmailMessage:
    """A multipart/alternative message: the text part first, the HTML part preferred."""
    message = EmailMessage()
    message["From"] = check_sender(sender)
    message["To"] = Address(addr_spec=letter.to)
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    for name, value in letter.headers.items():
        message[name] = value
    message.set_content(letter.text)
    message.add_alternative(letter.html, subtype="html")
    for attachment in letter.attachments:  # the message becomes multipart/mixed
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.file_name
        )
    # After the parts: setting content drops the Content-* headers set before.
    message["Content-Language"] = letter.locale
    return message
