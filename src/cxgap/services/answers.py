"""Storing answers: one colleague's self-assessment, one customer's survey, or many at once."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    CustomerSurvey,
    InternalCampaign,
    InternalPillarScore,
    InternalResponse,
    SurveyInvitation,
    SurveyRateHit,
    Workspace,
)
from cxgap.errors import (
    ConflictError,
    InvitationUsedError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from cxgap.schema import PUBLIC_FORM_IGNORED as IGNORED
from cxgap.schema import (
    CustomerAnswer,
    InternalAnswer,
    parse_customer_answer,
    parse_internal_answer,
)
from cxgap.services import bot_answers
from cxgap.services.answer_rows import response_row, score_rows
from cxgap.services.answer_timing import STARTED_FIELD, record_duration, seconds_taken
from cxgap.services.campaigns import invitation_digest
from cxgap.services.contact_masking import stored_text
from cxgap.services.survey_feedback import add_survey_comments
from cxgap.services.survey_mailing import with_recipient_details
from cxgap.services.workspaces import bump_revision, pillars_of, segments_of, workspace_of

HONEYPOT_FIELD = "website"
RATE_WINDOW = timedelta(hours=1)
_CHUNK = 5000


@dataclass(frozen=True)
class InternalReceipt:
    response_id: int
    total: int
    maximum: int
    updated: bool = False


def submit_internal_answer(
    session: Session, *, campaign: InternalCampaign, form: Mapping[str, object], submission_id: str
) -> InternalReceipt:
    """Validate and store one colleague's answer. ``submission_id`` is the respondent's key
    (one per visit of the link): sending the form again with it, after going Back, updates
    the same answer instead of adding a second one, while the campaign is open."""
    if not campaign.is_open:
        raise ConflictError("This self-assessment campaign is closed")
    if not submission_id or len(submission_id) > 64:
        raise ValidationError.single("submission_id", "is missing or too long")
    workspace = workspace_of(session, campaign)
    pillars = pillars_of(session, workspace)
    answer = parse_internal_answer(form, pillar_keys=[p.key for p in pillars])
    maximum = 5 * len(pillars)
    existing = session.scalar(
        select(InternalResponse).where(InternalResponse.submission_id == submission_id)
    )
    if existing is None:
        response_id = store_internal_answers(
            session, campaign=campaign, answers=[answer], submission_ids=[submission_id]
        )[0]
        return InternalReceipt(response_id, answer.total_current, maximum)
    if existing.campaign_id != campaign.id:
        raise ConflictError(f"The answer key {submission_id!r} belongs to another campaign")
    _replace_internal_answer(session, existing, answer, workspace)
    return InternalReceipt(existing.id, answer.total_current, maximum, updated=True)


def stored_internal_values(
    session: Session, *, campaign: InternalCampaign, submission_id: str
) -> dict[str, str]:
    """The form fields of the answer stored under ``submission_id`` in ``campaign`` (empty
    when there is none), so that the form reopens as it was sent: going Back never loses a
    ranking that sending again would then erase."""
    response = session.scalar(
        select(InternalResponse).where(
            InternalResponse.submission_id == submission_id,
            InternalResponse.campaign_id == campaign.id,
        )
    )
    if response is None:
        return {}
    workspace = workspace_of(session, campaign)
    keys = {p.id: p.key for p in pillars_of(session, workspace, include_retired=True)}
    values = {
        "department": response.department,
        "respondent": response.respondent,
        "comment": response.comment,
    }
    for score in response.scores:
        key = keys[score.pillar_id]
        values[f"{key}_current"] = str(score.current)
        values[f"{key}_desired"] = str(score.desired)
        if score.rank is not None:
            values[f"{key}_rank"] = str(score.rank)
    return values


def _replace_internal_answer(
    session: Session, response: InternalResponse, answer: InternalAnswer, workspace: Workspace
) -> None:
    """Overwrite a stored answer in place: its id, and so its single row, stay the same."""
    pillar_ids = {p.key: p.id for p in pillars_of(session, workspace, include_retired=True)}
    response.respondent = answer.respondent
    response.department = answer.department
    response.comment = stored_text(session, answer.comment)
    response.submitted_at = answer.submitted_at or datetime.now(UTC)
    stored = {score.pillar_id: score for score in response.scores}
    wanted = {pillar_ids[key]: s for key, s in answer.pillars.items()}
    for pillar_id, old in stored.items():
        if pillar_id not in wanted:
            response.scores.remove(old)
    for pillar_id, s in wanted.items():
        score = stored.get(pillar_id)
        if score is None:
            response.scores.append(
                InternalPillarScore(
                    pillar_id=pillar_id, current=s.current, desired=s.desired, rank=s.rank
                )
            )
        else:
            score.current, score.desired, score.rank = s.current, s.desired, s.rank
    session.flush()
    bump_revision(session, workspace.id)


def store_internal_answers(
    session: Session,
    *,
    campaign: InternalCampaign,
    answers: Sequence[InternalAnswer],
    submission_ids: Sequence[str],
) -> list[int]:
    workspace = workspace_of(session, campaign)
    pillar_ids = {p.key: p.id for p in pillars_of(session, workspace, include_retired=True)}
    ids: list[int] = []
    for answer, submission_id in zip(answers, submission_ids, strict=True):
        response = InternalResponse(
            campaign_id=campaign.id,
            respondent=answer.respondent,
            department=answer.department,
            comment=stored_text(session, answer.comment),
            submission_id=submission_id,
            submitted_at=answer.submitted_at or datetime.now(UTC),
        )
        response.scores = [
            InternalPillarScore(
                pillar_id=pillar_ids[key], current=s.current, desired=s.desired, rank=s.rank
            )
            for key, s in answer.pillars.items()
        ]
        session.add(response)
        session.flush()
        ids.append(response.id)
    bump_revision(session, workspace.id)
    return ids


def client_fingerprint(client_ip: str, secret: str) -> str:
    """A keyed hash: the rate limit works without storing IP addresses."""
    return hmac.new(secret.encode(), client_ip.encode(), hashlib.sha256).hexdigest()


# pg_advisory_xact_lock(namespace, key): the namespace keeps these locks apart from others.
_RATE_LOCK_NAMESPACE = 0x63786772  # "cxgr"


def check_rate_limit(session: Session, *, fingerprint: str, limit: int) -> None:
    """Refuse when the client already sent ``limit`` answers within the hour.

    Counting then inserting races when one client posts many answers at once: each request
    counts before the others commit. So the count runs under a lock on the client that the
    transaction keeps until it commits (or rolls back): on PostgreSQL an advisory lock on the
    fingerprint, on SQLite the database's write lock, which the ``DELETE`` below takes (it is
    the transaction's first write, and a WAL writer always reads the latest commit).
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int(fingerprint[:8], 16) - 2**31  # 32 bits of the keyed hash, as a signed int4
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
            {"namespace": _RATE_LOCK_NAMESPACE, "key": key},
        )
    since = datetime.now(UTC) - RATE_WINDOW
    session.execute(delete(SurveyRateHit).where(SurveyRateHit.at < since))
    recent = session.scalar(
        select(func.count(SurveyRateHit.id)).where(SurveyRateHit.client_hash == fingerprint)
    )
    if (recent or 0) >= limit:
        raise RateLimitedError(
            f"Too many answers from this network in the last hour (limit {limit}); "
            "please try again later"
        )


@dataclass(frozen=True)
class PublicSubmission:
    form: Mapping[str, object]
    submission_id: str
    client_ip: str
    invitation_token: str | None = None
    unit: str | None = None  # the shop or agent a signed link names (services/survey_links)


def submit_customer_answer(
    session: Session,
    *,
    survey: CustomerSurvey,
    submission: PublicSubmission,
    secret: str,
    rate_limit: int,
) -> int | None:
    """Validate and store one public survey answer; None for a bot caught by the honeypot
    (held apart, flagged: ``services/bot_answers.py``)."""
    if not survey.is_open:
        raise ConflictError("This survey is closed")
    if str(submission.form.get(HONEYPOT_FIELD) or "").strip():
        _hold_bot(session, survey, submission, secret, rate_limit)
        return None
    if not submission.submission_id or len(submission.submission_id) > 64:
        raise ValidationError.single("submission_id", "is missing or longer than 64 characters")
    # Everything that only reads comes first: on SQLite the rate limit's first write takes
    # the database's write lock, and every other writer waits until this one commits.
    workspace = workspace_of(session, survey)
    invitation = find_invitation(session, survey, submission.invitation_token)
    # One invitation, or one visit of the public link, gives one answer: sending again
    # replaces it (store_customer_answers replaces by external id).
    external_id = (
        invitation_answer_id(invitation)
        if invitation is not None
        else f"web-{submission.submission_id}"
    )
    answer = parse_customer_answer(
        {k: v for k, v in submission.form.items() if k not in IGNORED},
        pillar_keys=[p.key for p in pillars_of(session, workspace)],
        segment_keys={s.key for s in segments_of(session, workspace)},
    )
    if invitation is not None and invitation.used_at is None:
        answer = with_recipient_details(session, invitation, answer)
    if submission.unit:
        answer = replace(answer, agent=submission.unit)
    fingerprint = client_fingerprint(submission.client_ip, secret)
    check_rate_limit(session, fingerprint=fingerprint, limit=rate_limit)
    if invitation is not None and invitation.used_at is None:
        invitation.used_at = datetime.now(UTC)
    session.add(SurveyRateHit(client_hash=fingerprint))
    ids = store_customer_answers(
        session,
        workspace=workspace,
        answers=[answer],
        source="web",
        survey_id=survey.id,
        external_ids=[external_id],
    )
    return record_duration(session, ids[0], submission.form, secret)  # for integrity flags


def _hold_bot(
    session: Session,
    survey: CustomerSurvey,
    submission: PublicSubmission,
    secret: str,
    rate_limit: int,
) -> None:
    """A bot's post counts against its client's limit, then is held apart (or counted)."""
    fingerprint = client_fingerprint(submission.client_ip, secret)
    check_rate_limit(session, fingerprint=fingerprint, limit=rate_limit)
    session.add(SurveyRateHit(client_hash=fingerprint))
    bot_answers.hold(
        session,
        survey=survey,
        form=submission.form,
        agent=submission.unit,
        duration_seconds=seconds_taken(submission.form.get(STARTED_FIELD), secret),
    )


def invitation_answer_id(invitation: SurveyInvitation) -> str:
    """The external id of the answer given with ``invitation``."""
    return f"inv-{invitation.id}"


def find_invitation(
    session: Session, survey: CustomerSurvey, token: str | None
) -> SurveyInvitation | None:
    """The invitation for ``token``. Invitation-only surveys refuse a missing or unknown
    token; open surveys ignore an unknown one. A used invitation still opens the survey, to
    update its answer, unless that answer cannot be found (answered before answers were
    tied to their invitation, or deleted)."""
    if not token:
        if survey.invitation_only:
            raise ValidationError.single(
                "invitation", "this survey needs a personal invitation link"
            )
        return None
    invitation = session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.token_hash == invitation_digest(token),
        )
    )
    if invitation is None:
        if survey.invitation_only:
            raise NotFoundError("This invitation link is not valid")
        return None
    if invitation.used_at is not None and not _has_answer(session, survey, invitation):
        raise InvitationUsedError("This invitation has already been used to answer")
    return invitation


def _has_answer(session: Session, survey: CustomerSurvey, invitation: SurveyInvitation) -> bool:
    found = session.scalar(
        select(CustomerResponse.id).where(
            CustomerResponse.workspace_id == survey.workspace_id,
            CustomerResponse.external_id == invitation_answer_id(invitation),
        )
    )
    return found is not None


def store_customer_answers(
    session: Session,
    *,
    workspace: Workspace,
    answers: Sequence[CustomerAnswer],
    source: str,
    survey_id: int | None = None,
    external_ids: Sequence[str] | None = None,
) -> list[int]:
    """Insert many answers at once; an answer whose external id is already stored replaces
    the stored one (re-importing a file updates instead of duplicating)."""
    ids = list(external_ids) if external_ids is not None else [a.external_id for a in answers]
    if any(i is None or i == "" for i in ids):
        raise ValidationError.single("response_id", "every stored answer needs an id")
    pillar_ids = {p.key: p.id for p in pillars_of(session, workspace, include_retired=True)}
    _delete_existing(session, workspace.id, [str(i) for i in ids])
    now = datetime.now(UTC)
    stored: list[int] = []
    for start in range(0, len(answers), _CHUNK):
        chunk = answers[start : start + _CHUNK]
        rows = [
            response_row(workspace.id, survey_id, source, str(ext), answer, now)
            for answer, ext in zip(chunk, ids[start : start + _CHUNK], strict=True)
        ]
        for row in rows:
            row["comment"] = stored_text(session, str(row["comment"]))
        new_ids = list(
            session.scalars(
                insert(CustomerResponse).returning(
                    CustomerResponse.id, sort_by_parameter_order=True
                ),
                rows,
            )
        )
        scores = list(score_rows(new_ids, chunk, pillar_ids))
        if scores:
            session.execute(insert(CustomerPillarScore), scores)
        # Their comments reach Listening in the same transaction (survey_feedback.py).
        add_survey_comments(session, workspace=workspace, responses=rows)
        stored.extend(new_ids)
    bump_revision(session, workspace.id)
    return stored


def _delete_existing(session: Session, workspace_id: int, external_ids: list[str]) -> None:
    for start in range(0, len(external_ids), 900):
        chunk = external_ids[start : start + 900]
        old = list(
            session.scalars(
                select(CustomerResponse.id).where(
                    CustomerResponse.workspace_id == workspace_id,
                    CustomerResponse.external_id.in_(chunk),
                )
            )
        )
        if old:
            session.execute(
                delete(CustomerPillarScore).where(CustomerPillarScore.response_id.in_(old))
            )
            session.execute(delete(CustomerResponse).where(CustomerResponse.id.in_(old)))
