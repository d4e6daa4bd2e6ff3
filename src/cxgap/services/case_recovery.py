"""The recovery survey (issue 12, "the inner loop closed"): when a member resolves or closes
a case they may have the customer sent one question ("How satisfied are you with how we
handled your request?", CSAT 1-5) and a comment. The answer comes back into Listening as
feedback (``recovery_answers``) and is shown on the case.

The link's token is an HMAC of the recovery's id with the installation's secret key (as the
survey invitations', ``survey_mailing.invitation_token``): the job that sends the e-mail
derives it again, and the database keeps only its SHA-256. Sending is the ``case_recovery``
job's part (``cxgap.jobs.case_recovery``); this module asks, renders and records.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CaseRecovery,
    CaseRecoverySetting,
    CaseRow,
    Feedback,
    MailOptOut,
    Workspace,
)
from cxgap.errors import ValidationError
from cxgap.i18n import LOCALES
from cxgap.mail.message import Letter, long_date, render_letter
from cxgap.services import cases
from cxgap.services.survey_mailing import email_hash

VALID_DAYS = 30
SCORES = (1, 2, 3, 4, 5)
# An answer at or below this score reopens the case (docs/cases.md, "Recovery survey").
REOPEN_AT_MOST = 2
MAX_EMAIL = 254


def recovery_token(secret: str, recovery_id: int) -> str:
    digest = hmac.new(secret.encode(), f"case-recovery:{recovery_id}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recovery_link(base_url: str, token: str, language: str) -> str:
    return f"{base_url}/r/{token}?lang={language}"


def opt_out_link(base_url: str, token: str) -> str:
    """The unsubscribe link, on the survey invitations' route: ``mail_opt_outs`` finds the
    recovery by its token's SHA-256, as it finds an invitation."""
    return f"{base_url}/optout/{token}"


def _refused(field: str, message: str, value: object, code: str) -> ValidationError:
    """Said in the reader's language by ``web.problem.recovery_<code>``."""
    error = ValidationError.single(field, message, value, code=f"recovery_{code}")
    error.summary = "Recovery survey refused"
    return error


def customer_email(case: CaseRow, given: str | None) -> str | None:
    """The address given, else the case's customer reference when it is an e-mail address."""
    if given and given.strip():
        return given.strip()
    ref = (case.customer_ref or "").strip()
    return ref if "@" in ref else None


def suggested_email(session: Session, case: CaseRow) -> str:
    """What the case page offers: the customer reference when it is an address, else the
    address the last recovery survey of the case went to."""
    known = customer_email(case, None)
    if known:
        return known
    query = select(CaseRecovery.email).where(CaseRecovery.case_id == case.id)
    return session.scalar(query.order_by(CaseRecovery.id.desc()).limit(1)) or ""


def _checked_email(value: str | None) -> str:
    if not value:
        raise _refused("email", "the case has no customer e-mail address", None, "no_email")
    _, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if len(value) > MAX_EMAIL or not local or "." not in domain or " " in address:
        raise _refused("email", "is not an e-mail address", value, "bad_email")
    return address


def customer_language(session: Session, case: CaseRow, given: str | None) -> str:
    """The language asked for, else that of the verbatim the case was opened from, else
    English."""
    if given:
        return cases.checked_choice("language", given, LOCALES)
    if case.feedback_id is not None:
        hint = session.scalar(select(Feedback.language_hint).where(Feedback.id == case.feedback_id))
        if hint and hint[:2].lower() in LOCALES:
            return hint[:2].lower()
    return "en"


def opted_out(session: Session, workspace_id: int, address: str) -> bool:
    query = select(MailOptOut.id).where(
        MailOptOut.workspace_id == workspace_id, MailOptOut.email_hash == email_hash(address)
    )
    return session.scalar(query) is not None


def request_recovery(
    session: Session,
    *,
    case: CaseRow,
    secret: str,
    email: str | None = None,
    language: str | None = None,
    actor_id: int | None = None,
    at: datetime | None = None,
) -> tuple[CaseRecovery, str]:
    """Ask for the survey of a resolved or closed case; returns the row and its link's token
    (to queue the e-mail). Refused, naming the reason, without a customer e-mail address,
    for an address that opted out of the workspace's e-mail, for an open case and for a
    case whose survey is still waiting for its answer."""
    if case.status not in cases.CLOSED:
        raise _refused("status", "the case is not resolved or closed", case.status, "open_case")
    address = _checked_email(customer_email(case, email))
    if opted_out(session, case.workspace_id, address):
        raise _refused("email", "this customer opted out of e-mail", None, "opted_out")
    chosen = customer_language(session, case, language)
    when = at or cases.now_utc()
    waiting = session.scalar(
        select(CaseRecovery.id).where(
            CaseRecovery.case_id == case.id,
            CaseRecovery.answered_at.is_(None),
            CaseRecovery.expires_at > when,
            CaseRecovery.failure == "",
        )
    )
    if waiting is not None:
        raise _refused(
            "case", "a recovery survey is already waiting for its answer", None, "pending"
        )
    recovery = CaseRecovery(
        workspace_id=case.workspace_id, case_id=case.id, token_hash="", email=address,
        email_hash=email_hash(address), language=chosen, requested_by_id=actor_id,
        created_at=when, expires_at=when + timedelta(days=VALID_DAYS), failure="",
    )  # fmt: skip
    session.add(recovery)
    session.flush()
    token = recovery_token(secret, recovery.id)
    recovery.token_hash = token_digest(token)
    cases.add_event(session, case, "recovery_ask", "agent" if actor_id else "system",
                    actor_id=actor_id, fields={"language": chosen}, at=when)  # fmt: skip
    session.flush()
    return recovery, token


def recovery_letter(
    session: Session, *, recovery_id: int, base_url: str, secret: str
) -> Letter | None:
    """The e-mail of a recovery not sent yet; ``None`` when there is nothing to send (sent,
    answered, gone)."""
    recovery = session.get(CaseRecovery, recovery_id)
    if recovery is None or recovery.sent_at is not None or recovery.answered_at is not None:
        return None
    case = session.get(CaseRow, recovery.case_id)
    workspace = session.get(Workspace, recovery.workspace_id)
    if case is None or workspace is None:
        return None
    token = recovery_token(secret, recovery.id)
    optout = opt_out_link(base_url, token)
    return render_letter(
        "case_recovery",
        to=recovery.email,
        locale=recovery.language,
        brand=workspace.name,
        subject=case.subject,
        number=case.number,
        link=recovery_link(base_url, token, recovery.language),
        until=long_date(recovery.expires_at, recovery.language),
        optout_link=optout,
        headers={  # RFC 8058: the mail client's one-click unsubscribe posts to the link
            "List-Unsubscribe": f"<{optout}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def record_delivery(
    session: Session, *, recovery_id: int, failure: str = "", at: datetime | None = None
) -> None:
    """The e-mail went (``failure`` empty: the case's history says so) or did not, and why."""
    recovery = session.get(CaseRecovery, recovery_id)
    if recovery is None:
        return
    case = session.get(CaseRow, recovery.case_id)
    if failure:
        recovery.failure = failure[:200]
        return
    when = at or cases.now_utc()
    recovery.sent_at, recovery.failure = when, ""
    if case is not None:
        fields = {"language": recovery.language}
        cases.add_event(session, case, "recovery_sent", "system", fields=fields, at=when)


@dataclass(frozen=True)
class RecoveryView:
    """What the case page and the API say of a recovery survey."""

    created_at: str
    sent_at: str | None
    failure: str
    expires_at: str
    answered_at: str | None
    score: int | None
    comment: str | None
    language: str
    feedback_id: int | None


def recoveries_of(session: Session, case: CaseRow) -> list[RecoveryView]:
    rows = session.scalars(
        select(CaseRecovery).where(CaseRecovery.case_id == case.id).order_by(CaseRecovery.id)
    )
    return [
        RecoveryView(
            created_at=r.created_at.isoformat(),
            sent_at=None if r.sent_at is None else r.sent_at.isoformat(),
            failure=r.failure,
            expires_at=r.expires_at.isoformat(),
            answered_at=None if r.answered_at is None else r.answered_at.isoformat(),
            score=r.score,
            comment=r.comment,
            language=r.language,
            feedback_id=r.feedback_id,
        )
        for r in rows
    ]


def sends_on_close(session: Session, workspace_id: int) -> bool:
    """Whether the case page ticks "send the recovery survey" on closing by default."""
    setting = session.get(CaseRecoverySetting, workspace_id)
    return setting is not None and setting.send_on_close


def set_send_on_close(session: Session, *, workspace: Workspace, on: bool) -> None:
    setting = session.get(CaseRecoverySetting, workspace.id)
    if setting is None:
        setting = CaseRecoverySetting(workspace_id=workspace.id)
        session.add(setting)
    setting.send_on_close, setting.updated_at = on, cases.now_utc()
    session.flush()
