"""Surveys sent by e-mail through a real SMTP server on loopback."""

from __future__ import annotations

import io
import re
import uuid
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CustomerResponse, SurveyInvitation
from cxgap.errors import MailServerError, ReminderAlreadySentError, ValidationError
from cxgap.mail import Mailer, parse_smtp_url
from cxgap.services import campaigns, mail_opt_outs, survey_mailing, wave_rates
from cxgap.services.answers import PublicSubmission, submit_customer_answer
from cxgap.services.campaigns import invitation_digest
from cxgap.services.core import Cxgap
from cxgap.services.recipient_lists import Recipient, read_recipients
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
SECRET = "test-secret"
LINKS = survey_mailing.LinkMaker("https://cx.example.com", SECRET)
SURVEY_LINK = re.compile(r"https://cx\.example\.com/s/[\w-]+\?invitation=([\w-]+)&lang=(en|fr)")
OPT_OUT_LINK = re.compile(r"https://cx\.example\.com/optout/([\w-]+)")


def _people(*emails: str, language: str = "en") -> list[Recipient]:
    return [Recipient(i + 2, e, language, "pro", f"C{i}") for i, e in enumerate(emails)]


@pytest.fixture
def survey_id(cx: Cxgap) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        return campaigns.create_survey(session, workspace=workspace, key="s1", name="Q1").id


def _mailer(server: SmtpServer) -> Mailer:
    return Mailer(parse_smtp_url(server.url()), "cx@example.com")


def _send(cx: Cxgap, server: SmtpServer, survey_id: int, people: list[Recipient]) -> object:
    return survey_mailing.send_wave(
        cx.sessions,
        survey_id=survey_id,
        recipients=people,
        file_name="list.csv",
        links=LINKS,
        mailer=_mailer(server),
    )


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _answer(cx: Cxgap, token: str, **form: object) -> int | None:
    with cx.transaction() as session:
        survey = campaigns.get_survey(session, get_workspace(session, "acme"), "s1")
        return submit_customer_answer(
            session,
            survey=survey,
            submission=PublicSubmission(
                form=customer_form(**form),
                submission_id=uuid.uuid4().hex,
                client_ip="10.0.0.1",
                invitation_token=token,
            ),
            secret="k",
            rate_limit=100,
        )


def _rates(cx: Cxgap) -> wave_rates.WaveRates:
    with cx.reading() as session:
        [rates] = wave_rates.wave_rates(session, get_workspace(session, "acme"))[:1]
        return rates


def test_each_person_gets_their_own_single_use_link_in_their_language(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    people = [*_people("ana@example.com"), *_people("leo@example.fr", language="fr")]
    report = _send(cx, smtp_server, survey_id, people)
    assert (report.sent, report.failed) == (2, 0)  # type: ignore[attr-defined]
    messages = smtp_server.wait_for(2)
    [ana], [leo] = smtp_server.to("ana@example.com"), smtp_server.to("leo@example.fr")
    assert ana["Subject"] == "Acme: your opinion on Q1"
    assert leo["Subject"] == "Acme\u00a0: votre avis sur Q1"
    assert leo["List-Unsubscribe"].startswith("<https://cx.example.com/optout/")
    tokens = [SURVEY_LINK.search(_text(m)).group(1) for m in messages]  # type: ignore[union-attr]
    assert len(set(tokens)) == 2
    with cx.reading() as session:
        stored = set(session.scalars(select(SurveyInvitation.token_hash)))
    assert {invitation_digest(t) for t in tokens} == stored  # only hashes are stored

    ana_token = SURVEY_LINK.search(_text(ana)).group(1)  # type: ignore[union-attr]
    response_id = _answer(cx, ana_token, segment=None)
    with cx.reading() as session:
        response = session.get(CustomerResponse, response_id)
        assert response is not None
        assert (response.segment_key, response.customer_ref) == ("pro", "C0")  # from the list
    # the link stays single-use: sending again updates the same answer, never a second one
    _answer(cx, ana_token, segment=None)
    with cx.reading() as session:
        assert session.scalar(select(func.count()).select_from(CustomerResponse)) == 1


def test_a_refused_address_is_counted_as_failed(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    report = _send(cx, smtp_server, survey_id, _people("a@example.com", "refuse@example.com"))
    assert (report.sent, report.failed) == (1, 1)  # type: ignore[attr-defined]
    rates = _rates(cx)
    assert (rates.recipients, rates.sent, rates.failed, rates.pending) == (2, 1, 1, 0)


def test_one_reminder_only_to_those_who_have_not_answered(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    _send(cx, smtp_server, survey_id, _people("a@example.com", "b@example.com", "c@example.com"))
    smtp_server.wait_for(3)
    token_a = SURVEY_LINK.search(_text(smtp_server.to("a@example.com")[0])).group(1)  # type: ignore[union-attr]
    _answer(cx, token_a)
    token_b = OPT_OUT_LINK.search(_text(smtp_server.to("b@example.com")[0])).group(1)  # type: ignore[union-attr]
    with cx.transaction() as session:
        assert mail_opt_outs.opt_out(session, token_b) == "Acme"
    smtp_server.messages.clear()
    wave_id = _rates(cx).wave_id
    sent, failed = survey_mailing.send_reminder(
        cx.sessions, wave_id=wave_id, links=LINKS, mailer=_mailer(smtp_server)
    )
    assert (sent, failed) == (1, 0)
    [reminder] = smtp_server.wait_for(1)
    assert reminder["To"].addresses[0].addr_spec == "c@example.com"
    assert reminder["Subject"].startswith("Reminder")
    token_c_again = SURVEY_LINK.search(_text(reminder)).group(1)  # type: ignore[union-attr]
    with cx.reading() as session:  # the reminder carries the same, still valid link
        assert session.scalar(
            select(SurveyInvitation.id).where(
                SurveyInvitation.token_hash == invitation_digest(token_c_again),
                SurveyInvitation.used_at.is_(None),
            )
        )
    with pytest.raises(ReminderAlreadySentError):
        survey_mailing.send_reminder(
            cx.sessions, wave_id=wave_id, links=LINKS, mailer=_mailer(smtp_server)
        )
    rates = _rates(cx)
    assert (rates.sent, rates.answered, rates.opted_out, rates.reminded_at is not None) == (
        3,
        1,
        1,
        True,
    )
    assert rates.rate == pytest.approx(1 / 3)


def test_an_opted_out_address_is_never_mailed_again(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    _send(cx, smtp_server, survey_id, _people("b@example.com"))
    token = OPT_OUT_LINK.search(_text(smtp_server.wait_for(1)[0])).group(1)  # type: ignore[union-attr]
    with cx.transaction() as session:
        mail_opt_outs.opt_out(session, token)
        mail_opt_outs.opt_out(session, token)  # twice is harmless
        other = campaigns.create_survey(
            session, workspace=get_workspace(session, "acme"), key="s2", name="Q2"
        ).id
    smtp_server.messages.clear()
    report = _send(cx, smtp_server, other, _people("B@example.com", "new@example.com"))
    assert (report.sent, report.skipped_opted_out) == (1, 1)  # type: ignore[attr-defined]
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.wait_for(1)] == ["new@example.com"]
    again = _send(cx, smtp_server, other, _people("new@example.com"))
    assert (again.sent, again.skipped_invited) == (0, 1)  # type: ignore[attr-defined]


def test_opening_the_link_counts_as_opened(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    _send(cx, smtp_server, survey_id, _people("a@example.com", "b@example.com"))
    token = SURVEY_LINK.search(_text(smtp_server.wait_for(2)[0])).group(1)  # type: ignore[union-attr]
    with cx.transaction() as session:
        invitation = session.scalar(
            select(SurveyInvitation).where(SurveyInvitation.token_hash == invitation_digest(token))
        )
        assert invitation is not None
        survey_mailing.mark_opened(session, invitation)
    rates = _rates(cx)
    assert (rates.opened, rates.answered, rates.rate) == (1, 0, 0.0)


def test_a_closed_survey_is_not_sent(cx: Cxgap, smtp_server: SmtpServer, survey_id: int) -> None:
    with cx.transaction() as session:
        survey = campaigns.get_survey(session, get_workspace(session, "acme"), "s1")
        campaigns.set_open(session, survey, False)
    with pytest.raises(Exception, match="closed"):
        _send(cx, smtp_server, survey_id, _people("a@example.com"))
    assert smtp_server.messages == []


def test_the_list_is_read_with_the_projects_csv_reader() -> None:
    data = (
        "Courriel;Langue;Segment;Ref client\r\nZoé@Example.com;FR;pro;C-1\r\nbo@example.com;;;\r\n"
    )
    people = read_recipients(
        io.BytesIO(data.encode("cp1252")),
        name="liste.csv",
        segment_keys={"pro"},
        default_language="en",
    )
    assert people == [
        Recipient(2, "zoé@example.com", "fr", "pro", "C-1"),
        Recipient(3, "bo@example.com", "en", None, None),
    ]


def test_every_bad_row_is_named_with_its_column_and_value() -> None:
    data = (
        "email,language,segment\n"
        "ok@example.com,en,\n"
        "not-an-address,en,\n"
        "b@example.com,de,\n"
        "c@example.com,en,vip\n"
        "OK@example.com,fr,\n"
        ",en,\n"
    )
    with pytest.raises(ValidationError) as caught:
        read_recipients(
            io.BytesIO(data.encode()), name="list.csv", segment_keys={"pro"}, default_language="en"
        )
    found = {(p.row, p.field, p.code, p.value) for p in caught.value.problems}
    assert found == {
        (3, "email", "mail_address", "not-an-address"),
        (4, "language", "mail_language", "de"),
        (5, "segment", "mail_segment", "vip"),
        (6, "email", "mail_duplicate", "ok@example.com"),
        (7, "email", "required", None),
    }


def test_a_list_without_an_email_column_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        read_recipients(
            io.BytesIO(b"mail_address,lang\nx@example.com,en\n"),
            name="list.csv",
            segment_keys=set(),
            default_language="en",
        )
    codes = {(p.field, p.code) for p in caught.value.problems}
    assert ("email", "missing_column") in codes and ("mail_address", "mail_unknown_column") in codes


def test_a_reminder_that_reached_nobody_can_be_tried_again(
    cx: Cxgap, smtp_server: SmtpServer, survey_id: int
) -> None:
    _send(cx, smtp_server, survey_id, _people("a@example.com"))
    wave_id = _rates(cx).wave_id
    down = Mailer(parse_smtp_url("smtp://127.0.0.1:9?timeout=2"), "cx@example.com")
    with pytest.raises(MailServerError):
        survey_mailing.send_reminder(cx.sessions, wave_id=wave_id, links=LINKS, mailer=down)
    assert _rates(cx).reminded_at is None
    sent, _ = survey_mailing.send_reminder(
        cx.sessions, wave_id=wave_id, links=LINKS, mailer=_mailer(smtp_server)
    )
    assert sent == 1 and _rates(cx).reminded_at is not None
