"""The recovery survey's e-mail carries an unsubscribe link and the RFC 8058 headers, through
a real SMTP server on loopback: the mail client's one-click POST to the link opts the address
out of the workspace's e-mail, and a later recovery survey to it is refused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import MailOptOut, Workspace
from cxgap.errors import ValidationError
from cxgap.services import case_recovery as recovery_service
from cxgap.services import cases
from cxgap.services.core import Cxgap
from cxgap.services.survey_mailing import email_hash
from tests.jobs.test_case_recovery_mail import _ask, _worker
from tests.smtp_server import SmtpServer, smtp_server
from tests.warm_routes import app_for

__all__ = ["smtp_server"]
OPTOUT = re.compile(r"https://cx\.example\.com/optout/([\w-]+)")


def test_one_click_unsubscribe_then_no_more_recovery_surveys(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    _ask(cx, "fr")
    assert _worker(cx).run_once() is not None
    [letter] = smtp_server.wait_for(1)
    header = OPTOUT.fullmatch(str(letter["List-Unsubscribe"]).strip("<>"))
    assert header is not None, letter["List-Unsubscribe"]
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = letter.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = letter.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f"https://cx.example.com/optout/{header.group(1)}" in text
    assert "Vous ne souhaitez plus recevoir" in text and "Se désinscrire</a>" in html
    token = header.group(1)
    with TestClient(app_for(cx)) as client:
        asked = client.get(f"/optout/{token}?lang=fr")  # a GET only asks (mail scanners)
        assert asked.status_code == 200 and "Maison Lumen" in asked.text
        with cx.reading() as session:
            assert session.scalars(select(MailOptOut)).all() == []
        done = client.post(f"/optout/{token}", data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "Maison Lumen" in done.text
        assert client.post(f"/optout/{token}x").status_code == 404
    with cx.transaction() as session:
        [opted] = session.scalars(select(MailOptOut)).all()
        assert opted.email_hash == email_hash("jo@example.com")
        workspace = session.scalars(select(Workspace)).one()
        case, _ = cases.open_case(
            session, workspace=workspace, subject="Again", customer_ref="jo@example.com"
        )
        cases.set_status(session, case=case, status="resolved", actor_id=None)
        with pytest.raises(ValidationError) as refused:
            recovery_service.request_recovery(
                session, case=case, secret=cx.settings.resolved_secret_key()
            )
        assert refused.value.problems[0].code == "recovery_opted_out"
