"""The survey mailing page, the reminder button, response rates and the unsubscribe link."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from cxgap.jobs import mail
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server
from tests.web.conftest import csrf_of, log_in

__all__ = ["smtp_server"]
PAGE = "/w/acme/collect/surveys/s1/mail"
LIST = "email;language;segment;customer_ref\na@example.com;fr;pro;C1\nb@example.com;en;;\n"


@pytest.fixture
def acme(sqlite_cx: Cxgap) -> Cxgap:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "vic@example.com", workspace=workspace, role="viewer")
        campaigns.create_survey(session, workspace=workspace, key="s1", name="Q1")
    return sqlite_cx


def _upload(client: TestClient, content: str, name: str = "list.csv") -> object:
    token = csrf_of(client.get(PAGE).text)
    return client.post(
        PAGE,
        data={"csrf_token": token, "language": "en"},
        files={"recipients": (name, content.encode(), "text/csv")},
    )


def _work(cx: Cxgap) -> int:
    """Run the e-mail jobs the page queued, as a worker would; how many ran."""
    worker = Worker(JobContext.for_app(cx, kinds={mail.MAIL: mail.KIND}))
    ran = 0
    while worker.run_once() is not None:
        ran += 1
    return ran


def test_sending_a_list_then_one_reminder(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(acme)
    log_in(sqlite_client, "ana@example.com")
    queued = _upload(sqlite_client, LIST)
    assert queued.status_code == 200  # type: ignore[attr-defined]
    assert "Sending the invitations in the background" in queued.text  # type: ignore[attr-defined]
    assert 'hx-trigger="every 2s"' in queued.text  # type: ignore[attr-defined]
    assert smtp_server.messages == []  # nothing is sent inside the request
    assert _work(acme) == 1
    response = sqlite_client.get(PAGE)
    assert "2 invitations sent." in response.text
    assert 'hx-trigger="every 2s"' not in response.text
    assert len(smtp_server.wait_for(2)) == 2
    assert "Remind the 2 people who have not answered" in response.text  # type: ignore[attr-defined]
    wave = re.search(r'data-wave="(\d+)"', response.text).group(1)  # type: ignore[attr-defined, union-attr]
    remind = f"{PAGE}/waves/{wave}/remind"
    first = sqlite_client.post(remind, data={"csrf_token": csrf_of(response.text)})  # type: ignore[attr-defined]
    assert first.status_code == 200 and "Sending the reminder in the background" in first.text
    assert "Remind the" not in first.text  # the page shows the wave as reminded at once
    assert _work(acme) == 1
    assert "2 reminders sent." in sqlite_client.get(PAGE).text
    assert len(smtp_server.wait_for(4)) == 4
    second = sqlite_client.post(remind, data={"csrf_token": csrf_of(first.text)})
    assert second.status_code == 409 and "already had its reminder" in second.text
    assert len(smtp_server.messages) == 4

    rates = sqlite_client.get("/w/acme/results/response-rates?lang=fr")
    assert rates.status_code == 200 and "Taux de réponse" in rates.text
    assert "Q1" in rates.text and "list.csv" in rates.text


def test_a_bad_row_sends_nothing_and_names_row_column_and_value(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(acme)
    log_in(sqlite_client, "ana@example.com")
    sqlite_client.get("/?lang=fr")
    bad = "email,language\nok@example.com,fr\nnot-an-address,de\n"
    response = _upload(sqlite_client, bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = html.unescape(response.text)  # type: ignore[attr-defined]
    assert "ligne 3" in text and "n'est pas une adresse e-mail" in text and "not-an-address" in text
    assert "doit valoir en ou fr" in text
    assert smtp_server.messages == []


def test_without_smtp_the_page_says_so(acme: Cxgap, sqlite_client: TestClient) -> None:
    log_in(sqlite_client, "ana@example.com")
    page = sqlite_client.get(PAGE)
    assert "E-mail is not configured on this server" in page.text
    response = _upload(sqlite_client, LIST)
    assert response.status_code == 503  # type: ignore[attr-defined]


def test_viewers_see_rates_but_do_not_send(acme: Cxgap, sqlite_client: TestClient) -> None:
    log_in(sqlite_client, "vic@example.com")
    assert sqlite_client.get(PAGE).status_code == 403
    assert sqlite_client.get("/w/acme/results/response-rates").status_code == 200


def test_the_unsubscribe_link_asks_then_records(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(acme)
    log_in(sqlite_client, "ana@example.com")
    _upload(sqlite_client, "email\nb@example.com\n")
    _work(acme)
    [message] = smtp_server.wait_for(1)
    link = re.search(r"/optout/[\w-]+", message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert link
    with TestClient(sqlite_client.app) as stranger:  # no session, as from a mail client
        ask = stranger.get(link.group(0) + "?lang=fr")
        assert ask.status_code == 200 and "Me désinscrire" in ask.text
        done = stranger.post(link.group(0))
        assert done.status_code == 200 and "ne vous enverra plus" in html.unescape(done.text)
        assert stranger.get("/optout/not-a-token").status_code == 404
    _upload(sqlite_client, "email\nb@example.com\n", name="again.csv")
    _work(acme)
    assert "0 invitations sent." in sqlite_client.get(PAGE).text
    assert len(smtp_server.messages) == 1


def test_a_workbook_list_is_sent_and_its_bad_rows_are_named_in_french(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    from tests.services.test_recipient_lists_xlsx import workbook

    smtp_server.configure(acme)
    log_in(sqlite_client, "ana@example.com")
    sqlite_client.get("/?lang=fr")
    page = sqlite_client.get(PAGE)
    assert "Liste des destinataires (CSV ou classeur Excel)" in page.text
    assert ".xlsx" in re.search(r'id="mail-file"[^>]*accept="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]

    def send(data: bytes) -> object:
        token = csrf_of(sqlite_client.get(PAGE).text)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return sqlite_client.post(
            PAGE, data={"csrf_token": token}, files={"recipients": ("clients.xlsx", data, kind)}
        )

    bad = send(workbook([["Courriel", "Langue"], ["ok@example.com", "fr"], ["pas-une-adresse"]]))
    assert bad.status_code == 422  # type: ignore[attr-defined]
    text = html.unescape(bad.text)  # type: ignore[attr-defined]
    assert (
        "clients.xlsx, ligne 3, colonne « Courriel » : n'est pas une adresse e-mail "
        "(valeur « pas-une-adresse »)"
    ) in text
    assert smtp_server.messages == []
    good = send(workbook([["Courriel", "Langue"], ["ok@example.com", "fr"], ["b@example.com"]]))
    assert good.status_code == 200, good.text  # type: ignore[attr-defined]
    assert "Envoi des invitations en arrière-plan" in html.unescape(good.text)  # type: ignore[attr-defined]
    _work(acme)
    assert "2 invitations envoyées" in html.unescape(sqlite_client.get(PAGE).text)
    assert len(smtp_server.wait_for(2)) == 2
