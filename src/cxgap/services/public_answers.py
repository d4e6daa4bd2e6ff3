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
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db import public_answer_sql as sql
from cxgap.db import revisions
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.schema import PUBLIC_FORM_IGNORED, CustomerAnswer, parse_customer_answer
from cxgap.services.answer_rows import response_row
from cxgap.services.answer_timing import STARTED_FIELD, seconds_taken
from cxgap.services.answers import HONEYPOT_FIELD, RATE_WINDOW, client_fingerprint
from cxgap.services.contact_masking import stored_text
from cxgap.services.core import Cxgap
from cxgap.services.survey_feedback import add_survey_comments, comment_text
from cxgap.services.workspaces import workspace_of

CommentHook = Callable[[Session, Workspace], object]  # a stored comment's workspace

PURGE_EVERY_S = 60.0  # stale rate-limit hits are deleted at most this often per process
_IGNORED = PUBLIC_FORM_IGNORED  # never taken from a public form


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
    workspace_id: int = 0


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
    row["duration_seconds"] = seconds_taken(answer.form.get(STARTED_FIELD), secret, now)
    fingerprint = client_fingerprint(answer.client_ip, secret)
    return CheckedAnswer(link.workspace_id, fingerprint, parsed, keys.pillar_ids, row, link, now)


def write_answer(
    session: Session, checked: CheckedAnswer, *, rate_limit: int, count: bool = True
) -> StoredAnswer | None:
    """The writes of a checked answer. None, with nothing of this answer written, when its
    client is at its limit; ``IntegrityError`` when its answer key is stored already (the
    caller rolls back: the rate-limit hit was written). ``count=False``: the caller moves the
    workspace's revision itself (``revisions.count_answers``, once for a batch)."""
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
    if count:
        revisions.count_answer(conn, checked.workspace_id, response_id)  # no shared hot row
    return StoredAnswer(response_id, commented, checked.workspace_id)


def store_batch(cx: Cxgap, answers: Sequence[NewAnswer], on_comment: CommentHook) -> list[bool]:
    """Each answer stored (True) or declined (False), all in one transaction;
    ``on_comment`` runs in it for each workspace a stored comment went to (the web layer
    enqueues its enrichment)."""
    if len(answers) == 1:
        return [store_alone(cx, answers[0], on_comment)]
    secret, limit = cx.settings.resolved_secret_key(), cx.settings.survey_rate_limit
    with cx.sessions() as session:
        checked = [check_answer(session, a, secret=secret) for a in answers]
        # Written in the order of their clients: on PostgreSQL each takes its client's
        # advisory lock, so two batches never wait on each other crosswise.
        order = sorted(
            (i for i, c in enumerate(checked) if c is not None),
            key=lambda i: checked[i].fingerprint,  # type: ignore[union-attr]
        )
        stored: list[StoredAnswer | None] = [None] * len(answers)
        try:
            for i in order:
                one = checked[i]
                assert one is not None
                stored[i] = write_answer(session, one, rate_limit=limit, count=False)
            counts = Counter(
                (s.workspace_id, revisions.shard_of(s.response_id)) for s in stored if s
            )
            revisions.count_answers(session.connection(), counts)  # last, in key order
            for done in stored:
                if done is not None and done.commented is not None:
                    on_comment(session, done.commented)
        except IntegrityError:  # an answer key stored already: each answer alone
            session.rollback()
            return [store_alone(cx, a, on_comment) for a in answers]
        session.commit()
        return [one is not None for one in stored]


def store_alone(cx: Cxgap, answer: NewAnswer, on_comment: CommentHook) -> bool:
    """One answer in its own transaction."""
    with cx.sessions() as session:
        try:
            stored = store_new_answer(
                session,
                answer,
                secret=cx.settings.resolved_secret_key(),
                rate_limit=cx.settings.survey_rate_limit,
            )
            if stored is not None and stored.commented is not None:
                on_comment(session, stored.commented)
        except IntegrityError:  # this answer key is stored already: the route replaces it
            stored = None
        if stored is None:
            session.rollback()
            return False
        session.commit()
        return True


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
