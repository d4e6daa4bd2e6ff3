"""A new answer to a public survey link, on the short path that load needs.

``submit_customer_answer`` (``services/answers.py``) handles every case: invitations, an
answer sent again (replaced), bots, refusals with the reason. Under load nearly every post is
a first answer to an open link, valid, from a client under its limit; this module stores
exactly that in a few statements (``db/public_answer_sql.py``) and **declines** everything
else, returning ``None`` before it has written anything that the caller cannot roll back.
The caller then rolls back and hands the request to the full path, which decides and
explains (the form with its errors, the 429 page, the replaced answer…). So the short path
adds no rule of its own: what it stores, the full path would have stored the same way
(``tests/web/test_public_fast_path.py`` compares both on the same posts).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cxgap.db import public_answer_sql as sql
from cxgap.db import revisions
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.schema import CustomerAnswer, parse_customer_answer
from cxgap.services.answers import HONEYPOT_FIELD, RATE_WINDOW, client_fingerprint, response_row
from cxgap.services.contact_masking import stored_text
from cxgap.services.survey_feedback import add_survey_comments, comment_text
from cxgap.services.workspaces import workspace_of

PURGE_EVERY_S = 60.0  # stale rate-limit hits are deleted at most this often per process
_IGNORED = frozenset({"response_id", "submitted_at"})  # never taken from a public form


@dataclass(frozen=True)
class NewAnswer:
    """A public answer as posted: the form's fields, its answer key and the client."""

    token: str
    form: Mapping[str, str]
    submission_id: str
    client_ip: str


@dataclass(frozen=True)
class StoredAnswer:
    response_id: int
    # The workspace when the answer has a comment: the caller queues its enrichment.
    commented: Workspace | None = None


class _Purge:
    """When this process last deleted stale rate-limit hits."""

    last = 0.0


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer read and validated, ready to be written (``write_answer``)."""

    workspace_id: int
    fingerprint: str
    parsed: CustomerAnswer
    pillar_ids: Mapping[str, int]
    row: dict[str, object]
    link: sql.SurveyLink
    at: datetime  # when it was received: the rate limit's clock


def store_new_answer(
    session: Session, answer: NewAnswer, *, secret: str, rate_limit: int
) -> StoredAnswer | None:
    """Store ``answer`` if it is a plain first answer; None to hand it to the full path
    (the caller must then roll back: the rate-limit hit may have been written)."""
    checked = check_answer(session, answer, secret=secret)
    return None if checked is None else write_answer(session, checked, rate_limit=rate_limit)


def check_answer(session: Session, answer: NewAnswer, *, secret: str) -> CheckedAnswer | None:
    """The reads and the validation of an answer, before anything is written: None when it
    is not a plain first answer to an open link (the full path decides)."""
    conn = session.connection()
    link = sql.survey_link(conn, answer.token)
    if link is None or not link.is_open or link.invitation_only:
        return None
    if answer.form.get(HONEYPOT_FIELD, "").strip() or len(answer.submission_id) > 64:
        return None
    keys = sql.answer_keys(conn, link.workspace_id)
    try:
        parsed = parse_customer_answer(
            {k: v for k, v in answer.form.items() if k not in _IGNORED},
            pillar_keys=list(keys.pillar_ids),
            segment_keys=keys.segment_keys,
        )
    except ValidationError:
        return None
    now = datetime.now(UTC)
    row = response_row(
        link.workspace_id, link.survey_id, "web", f"web-{answer.submission_id}", parsed, now
    )
    row["comment"] = stored_text(session, str(row["comment"]))
    fingerprint = client_fingerprint(answer.client_ip, secret)
    return CheckedAnswer(link.workspace_id, fingerprint, parsed, keys.pillar_ids, row, link, now)


def write_answer(
    session: Session, checked: CheckedAnswer, *, rate_limit: int
) -> StoredAnswer | None:
    """The writes of a checked answer. None, with nothing of this answer written, when its
    client is at its limit; ``IntegrityError`` when its answer key is stored already (the
    caller rolls back: the rate-limit hit was written)."""
    conn = session.connection()
    now = checked.at
    if not sql.claim_rate_slot(
        conn, fingerprint=checked.fingerprint, limit=rate_limit, now=now, since=now - RATE_WINDOW
    ):
        return None
    _purge_stale_hits(session, now)
    response_id = sql.insert_response(conn, checked.row)  # IntegrityError: sent before
    sql.insert_scores(conn, _score_rows(response_id, checked.parsed, checked.pillar_ids))
    commented = None
    if comment_text(checked.parsed.comment):  # the comment is Listening feedback too
        commented = workspace_of(session, checked.link)
        add_survey_comments(session, workspace=commented, responses=[checked.row])
    revisions.count_answer(conn, checked.workspace_id, response_id)  # no shared hot row
    return StoredAnswer(response_id, commented)


def _purge_stale_hits(session: Session, now: datetime) -> None:
    if time.monotonic() - _Purge.last >= PURGE_EVERY_S:
        _Purge.last = time.monotonic()
        sql.purge_rate_hits(session.connection(), now - RATE_WINDOW)


def _score_rows(
    response_id: int, answer: CustomerAnswer, pillar_ids: Mapping[str, int]
) -> list[dict[str, object]]:
    return [
        {
            "response_id": response_id,
            "pillar_id": pillar_ids[key],
            "importance": scores.importance,
            "performance": scores.performance,
            "birth_year": answer.birth_year,
            "segment_key": answer.segment_key,
        }
        for key, scores in answer.pillars.items()
    ]
