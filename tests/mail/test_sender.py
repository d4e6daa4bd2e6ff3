"""Sending through a real SMTP server on loopback."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from cxgap.errors import ConfigError, MailServerError
from cxgap.mail import Mailer, parse_smtp_url
from cxgap.mail.message import long_date, render_letter
from tests.smtp_server import SmtpServer


def _letter(to: str, locale: str = "en") -> object:
    return render_letter(
        "member_invitation",
        to=to,
        locale=locale,
        inviter="Ana <Admin>",
        workspace="Acme & Co",
        link="https://cx.example.com/invite/abc",
        expires=long_date(datetime(2026, 12, 9), locale),
    )


def test_a_letter_arrives_with_a_text_and_an_html_part(smtp_server: SmtpServer) -> None:
    mailer = Mailer(parse_smtp_url(smtp_server.url()), "CX team <cx@example.com>")
    [delivery] = mailer.send([_letter("zoe@example.com")])  # type: ignore[list-item]
    assert delivery.ok
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "You are invited to Acme & Co on cxgap"
    assert message["From"] == "CX team <cx@example.com>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "https://cx.example.com/invite/abc" in text and "9 December 2026" in text
    assert "Ana <Admin>" in text  # plain text is not escaped…
    assert "Ana &lt;Admin&gt;" in html and "Acme &amp; Co" in html  # …HTML is


def test_the_letter_is_in_the_recipients_language(smtp_server: SmtpServer) -> None:
    mailer = Mailer(parse_smtp_url(smtp_server.url()), "cx@example.com")
    mailer.send([_letter("leo@example.fr", "fr")])  # type: ignore[list-item]
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Vous êtes invité·e à rejoindre Acme & Co sur cxgap"
    assert message["Content-Language"] == "fr"
    assert "9 décembre 2026" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_login_with_the_urls_credentials(smtp_server: SmtpServer) -> None:
    mailer = Mailer(parse_smtp_url(smtp_server.url(auth=True)), "cx@example.com")
    assert mailer.send([_letter("zoe@example.com")])[0].ok  # type: ignore[list-item]
    wrong = parse_smtp_url(f"smtp://user:wrong@{smtp_server.host}:{smtp_server.port}")
    with pytest.raises(MailServerError, match="SMTP 535"):
        Mailer(wrong, "cx@example.com").send([_letter("zoe@example.com")])  # type: ignore[list-item]


def test_a_refused_recipient_does_not_stop_the_others(
    smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mailer = Mailer(parse_smtp_url(smtp_server.url()), "cx@example.com")
    letters = [_letter(a) for a in ("a@example.com", "refuse-b@example.com", "c@example.com")]
    outcomes = mailer.send(letters)  # type: ignore[arg-type]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "550" in outcomes[1].reason and "refuse-b" not in outcomes[1].reason
    assert len(smtp_server.wait_for(2)) == 2
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("cxgap")]
    assert not [line for line in ours if "@example.com" in line]


def test_no_server_listening_is_a_clear_error() -> None:
    with pytest.raises(MailServerError, match=r"Cannot send e-mail through 127\.0\.0\.1:9"):
        Mailer(parse_smtp_url("smtp://127.0.0.1:9?timeout=2"), "cx@example.com").send([])


def test_a_sender_that_is_no_address_is_refused() -> None:
    mailer = Mailer(parse_smtp_url("smtp://127.0.0.1:9"), "CX team")
    with pytest.raises(ConfigError, match="CXGAP_MAIL_FROM"):
        mailer.send([_letter("zoe@example.com")])  # type: ignore[list-item]
