"""The recovery survey from the pages: ticked when closing a case, mailed through a real SMTP
server on loopback, answered on the public page (French and English, one answer, unknown and
expired links said in both languages), shown on the case and in Listening."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from cxgap.db.tables import CaseRecovery, CaseRow, Feedback, Job
from cxgap.jobs import case_recovery
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.web.log_redaction import redact
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server
from tests.test_untranslated import english_in, visible_texts
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

__all__ = ["smtp_server"]


def _close_with_survey(cx: Cxgap, client: TestClient, **survey: str) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session, name="Maison Lumen")
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        item = add_feedback(session, workspace, "Delivery three weeks late.", nps=2)
        feedback_id = item.id
    log_in(client, "ana@example.com")
    token = csrf_of(client.get("/w/acme/cases").text)
    client.post("/w/acme/cases", data={"feedback_id": feedback_id, "csrf_token": token})
    page = client.get("/w/acme/cases/1").text
    assert 'name="send_survey"' in page and "Send the customer the recovery survey" in page
    data = {"status": "resolved", "send_survey": "1", "csrf_token": csrf_of(page), **survey}
    response = client.post("/w/acme/cases/1/status", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:400]


def _english_on(french_page: str) -> list[str]:
    """English text on a French page, as tests/test_untranslated.py searches the demo's."""
    found = [(t, english_in(t, "")) for t in visible_texts(french_page)]
    return [f"{text!r} ({why})" for text, why in found if why]


def _send(cx: Cxgap) -> None:
    kinds = {case_recovery.KIND.name: case_recovery.KIND}
    worker = Worker(
        JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings)
    )
    assert worker.run_once() is not None


def _link_path(server: SmtpServer) -> str:
    [letter] = server.wait_for(1)
    text = letter.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"http://testserver(/r/[\w-]+)\?lang=(fr|en)", text)
    assert found is not None, text
    return f"{found.group(1)}?lang={found.group(2)}"


def test_closing_sends_the_survey_and_the_answer_comes_back(
    sqlite_cx: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(sqlite_cx)
    _close_with_survey(sqlite_cx, sqlite_client, survey_email="jo@example.com",
                       survey_language="fr")  # fmt: skip
    _send(sqlite_cx)
    link = _link_path(smtp_server)
    with TestClient(app_for(sqlite_cx)) as customer:  # no login
        form = customer.get(link)
        assert form.status_code == 200
        assert _english_on(form.text) == []
        assert "Dans quelle mesure êtes-vous satisfait" in form.text and "Maison Lumen" in form.text
        path = link.split("?")[0]
        missing = customer.post(path, data={"csrf_token": csrf_of(form.text), "comment": "Bof"})
        assert missing.status_code == 422 and "Choisissez une réponse." in missing.text
        assert "Bof" in missing.text  # the comment is kept
        answer = {"csrf_token": csrf_of(form.text), "score": "2", "comment": "Toujours rien."}
        sent = customer.post(path, data=answer, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == f"{path}/thanks"
        thanks = customer.get(f"{path}/thanks").text
        assert "Merci pour votre réponse" in thanks and _english_on(thanks) == []
        again = customer.post(path, data=answer)
        assert again.status_code == 409 and "Vous avez déjà répondu" in again.text
        assert _english_on(again.text) == []  # the English twin is marked lang="en"
        assert customer.get(path + "?lang=en").status_code == 409
    case_page = sqlite_client.get("/w/acme/cases/1").text
    assert "Recovery survey" in case_page and "2/5" in case_page and "Toujours rien." in case_page
    assert "Low score: case reopened" in case_page and "Recovery answer received" in case_page
    explorer = sqlite_client.get("/w/acme/listening?lang=fr").text
    assert "Toujours rien." in explorer and "enquête de rattrapage" in explorer
    with sqlite_cx.reading() as session:
        assert session.scalars(select(Job.kind).where(Job.kind == "enrich")).all() == ["enrich"]
        assert session.scalars(select(CaseRow.status)).one() == "open"
        assert (
            session.scalars(select(Feedback.csat).where(Feedback.channel == "recovery")).one() == 2
        )


def test_the_public_page_in_english_and_its_refusals(
    sqlite_cx: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(sqlite_cx)
    _close_with_survey(sqlite_cx, sqlite_client, survey_email="jo@example.com")
    _send(sqlite_cx)
    link = _link_path(smtp_server)
    assert link.endswith("lang=en")
    with TestClient(app_for(sqlite_cx)) as customer:
        form = customer.get(link).text
        assert "How satisfied are you with how we handled your request?" in form
        assert 'name="score"' in form and 'name="comment"' in form
        # The net that searches the French pages catches this English when told it is French.
        assert _english_on(form.replace('lang="en"', 'lang="fr"')) != []
        stale = customer.post(link.split("?")[0], data={"csrf_token": "forged", "score": "5"})
        assert stale.status_code == 403
        unknown = customer.get("/r/not-a-token")
        assert unknown.status_code == 404
        assert "This link cannot be used" in unknown.text
        assert "Ce lien ne peut pas être utilisé" in unknown.text  # said in both languages
        with sqlite_cx.transaction() as session:
            yesterday = datetime.now(UTC) - timedelta(days=1)
            session.execute(update(CaseRecovery).values(expires_at=yesterday))
        expired = customer.get(link)
        assert expired.status_code == 410
        assert (
            "This survey has closed" in expired.text and "Cette enquête est close" in expired.text
        )


def test_the_link_stays_out_of_the_access_log() -> None:
    assert redact("/r/AbC-12_x/thanks?lang=fr") == "/r/***/thanks?lang=fr"
    assert redact("/login?next=%2Fr%2FAbC12") == "/login?next=%2Fr%2F***"


def test_without_an_address_nothing_changes(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
    log_in(sqlite_client, "ana@example.com")
    token = csrf_of(sqlite_client.get("/w/acme/cases").text)
    sqlite_client.post("/w/acme/cases", data={"subject": "Late", "csrf_token": token})
    data = {"status": "closed", "send_survey": "1", "csrf_token": token}
    refused = sqlite_client.post("/w/acme/cases/1/status?lang=fr", data=data)
    assert refused.status_code == 422
    assert "Le dossier n’a pas d’adresse e-mail du client" in refused.text
    with sqlite_cx.reading() as session:
        assert session.scalars(select(CaseRow.status)).one() == "new"
        assert session.scalars(select(CaseRecovery)).all() == []


def test_the_workspace_default_ticks_the_box(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
    log_in(sqlite_client, "ana@example.com")
    token = csrf_of(sqlite_client.get("/w/acme/cases").text)
    sqlite_client.post("/w/acme/cases", data={"subject": "Late", "csrf_token": token})
    ticked = 'name="send_survey" value="1" checked'
    assert ticked not in sqlite_client.get("/w/acme/cases/1").text
    rules = sqlite_client.get("/w/acme/cases/rules?lang=fr").text
    assert "Cocher « envoyer l’enquête de rattrapage » par défaut" in rules
    saved = sqlite_client.post("/w/acme/cases/recovery-default",
                               data={"send_on_close": "1", "csrf_token": token},
                               follow_redirects=False)  # fmt: skip
    assert saved.headers["location"] == "/w/acme/cases/rules#recovery"
    assert ticked in sqlite_client.get("/w/acme/cases/1").text
    assert 'name="send_on_close" value="1" checked' in sqlite_client.get("/w/acme/cases/rules").text
    sqlite_client.post("/w/acme/cases/recovery-default", data={"csrf_token": token})
    assert ticked not in sqlite_client.get("/w/acme/cases/1").text
