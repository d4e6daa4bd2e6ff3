"""Survey comments as Listening feedback: the free text of every customer survey response
(typed into a cxgap survey, imported with ``cxgap assess import``, or the demo's) becomes one
feedback record, enriched and shown in Listening like any other.

The record is keyed like an imported survey answer: source type ``survey`` and the
response's id (``customer_responses.external_id``) as source id, unique per workspace. So:

- storing the response again (a replayed form, a re-imported file) or running the backfill
  again updates that one record, never adds a second;
- a response whose survey export was also imported as feedback (``cxgap import feedback``,
  same response id) keeps the imported record untouched, and an imported survey record of
  the same text at the same moment is taken for that comment too: nothing is counted twice;
- a comment later removed from its response removes the record it gave.

:func:`add_survey_comments` runs with every ``store_customer_answers`` call, in the answers'
transaction; :func:`backfill_survey_comments` covers responses stored before this existed
(``cxgap enrich`` runs it). Queuing the enrichment is the caller's part (``cxgap.jobs``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, segment_members
from cxgap.db.tables import CustomerResponse, CustomerSurvey, Feedback, Workspace, utcnow
from cxgap.i18n import translate
from cxgap.services import case_rules
from cxgap.services.workspaces import bump_revision
from cxgap.webhooks import store as webhooks

SOURCE_TYPE = "survey"
QUESTION_KEY = "public.survey.comment"  # what cxgap's survey form asks
_CHUNK = 500  # ids per IN (…): well under SQLite's parameter limit
# The response fields the records are made of (the keys of ``answers._response_row``).
RESPONSE_FIELDS = (
    "external_id",
    "source",
    "survey_id",
    "submitted_at",
    "language",
    "nps",
    "csat",
    "ces",
    "birth_year",
    "segment_key",
    "comment",
    "customer_ref",
)
Response = Mapping[str, Any]


def comment_text(comment: str | None) -> str:
    """The comment as the feedback import would store it: plain line ends, trimmed."""
    return (comment or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def add_survey_comments(
    session: Session, *, workspace: Workspace, responses: Iterable[Response]
) -> int:
    """Make, update or remove the feedback records of these stored responses (mappings with
    the ``RESPONSE_FIELDS``); returns how many records were added or updated."""
    surveys = dict(
        session.execute(
            select(CustomerSurvey.id, CustomerSurvey.key).where(
                CustomerSurvey.workspace_id == workspace.id
            )
        ).all()
    )
    changed = created = 0
    for chunk in _chunks(responses):
        chunk_changed, chunk_created = _bridge_chunk(session, workspace.id, chunk, surveys)
        changed += chunk_changed
        created += chunk_created
    if created:
        webhooks.emit(
            session, workspace.id, "feedback.created", {"source": SOURCE_TYPE, "created": created}
        )
    return changed


def _chunks(responses: Iterable[Response]) -> Iterator[list[Response]]:
    iterator = iter(responses)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


def backfill_survey_comments(session: Session, *, workspace: Workspace) -> int:
    """Bring every stored response of the workspace into Listening (idempotent), in keyset
    pages; returns how many records were added or updated."""
    columns = [getattr(CustomerResponse, name) for name in RESPONSE_FIELDS]
    after, changed = 0, 0
    while True:
        rows = session.execute(
            select(CustomerResponse.id, *columns)
            .where(CustomerResponse.workspace_id == workspace.id, CustomerResponse.id > after)
            .order_by(CustomerResponse.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            break
        after = rows[-1][0]
        responses = [dict(zip(RESPONSE_FIELDS, row[1:], strict=True)) for row in rows]
        changed += add_survey_comments(session, workspace=workspace, responses=responses)
    if changed:
        bump_revision(session, workspace.id)
    return changed


def _bridge_chunk(
    session: Session, workspace_id: int, chunk: Sequence[Response], surveys: Mapping[int, str]
) -> tuple[int, int]:
    """Records (added or updated, added) for this chunk of responses."""
    by_id = {str(r["external_id"]): r for r in chunk}
    known = {
        source_id: (feedback_id, import_id)
        for feedback_id, source_id, import_id in session.execute(
            select(Feedback.id, Feedback.source_id, Feedback.import_id).where(
                Feedback.workspace_id == workspace_id,
                Feedback.source_type == SOURCE_TYPE,
                Feedback.source_id.in_(list(by_id)),
            )
        )
    }
    values = {
        key: _values(response, surveys)
        for key, response in by_id.items()
        if comment_text(response["comment"])
    }
    # Records an import brought in are the import's: a comment never overwrites them.
    own = {key: ids[0] for key, ids in known.items() if ids[1] is None}
    gone = [feedback_id for key, feedback_id in own.items() if key not in values]
    now = utcnow()
    updates = [values[key] | {"id": own[key], "updated_at": now} for key in values if key in own]
    fresh = {key: v for key, v in values.items() if key not in known}
    twins = _imported_twins(session, workspace_id, fresh.values())
    inserts = [
        v | {"workspace_id": workspace_id, "created_at": now, "updated_at": now}
        for v in fresh.values()
        if (v["text_hash"], v["collected_at"]) not in twins
    ]
    scope = and_(Feedback.source_type == SOURCE_TYPE, Feedback.source_id.in_(list(by_id)))
    with listening_counts.changing(session, workspace_id, scope):
        if gone:
            session.execute(delete(Feedback).where(Feedback.id.in_(gone)))
        if updates:
            session.execute(update(Feedback), updates)
        if inserts:
            session.execute(insert(Feedback), inserts)
    if updates or inserts:  # what segment rules read may have changed
        written = session.scalars(
            select(Feedback.id).where(
                Feedback.workspace_id == workspace_id,
                Feedback.source_type == SOURCE_TYPE,
                Feedback.source_id.in_(list(values)),
            )
        )
        segment_members.refresh_ids(session, workspace_id, list(written))
    if inserts:  # one pass per chunk; a workspace without case rules pays one query
        added = and_(Feedback.source_type == SOURCE_TYPE, Feedback.source_id.in_(list(fresh)))
        case_rules.apply_rules(session, workspace_id, added)
    return len(updates) + len(inserts), len(inserts)


def _imported_twins(
    session: Session, workspace_id: int, values: Iterable[Mapping[str, Any]]
) -> set[tuple[str, Any]]:
    """(text hash, moment) of the imported survey records already holding one of these
    comments under another id: the same answer, imported from the survey tool's export."""
    hashes = {v["text_hash"] for v in values}
    if not hashes:
        return set()
    rows = session.execute(
        select(Feedback.text_hash, Feedback.collected_at).where(
            Feedback.workspace_id == workspace_id,
            Feedback.source_type == SOURCE_TYPE,
            Feedback.import_id.is_not(None),
            Feedback.text_hash.in_(list(hashes)),
        )
    )
    return {(text_hash, moment) for text_hash, moment in rows}


def _values(response: Response, surveys: Mapping[int, str]) -> dict[str, Any]:
    text = comment_text(response["comment"])
    survey_key = surveys.get(response["survey_id"]) if response["survey_id"] else None
    # Asked by cxgap's own form: its question is known.
    question = (
        translate(QUESTION_KEY, response["language"] or "en") if survey_key is not None else None
    )
    attributes: dict[str, str] = {}
    if response["segment_key"]:
        attributes["segment"] = str(response["segment_key"])
    if response["birth_year"] is not None:
        attributes["birth_year"] = str(response["birth_year"])
    return {
        "source_type": SOURCE_TYPE,
        "source_id": str(response["external_id"]),
        "channel": (survey_key or str(response["source"])).lower(),
        "collected_at": response["submitted_at"],
        "text": text,
        "nps": response["nps"],
        "csat": response["csat"],
        "ces": response["ces"],
        "stars": None,
        "customer_ref": response["customer_ref"],
        "touchpoint": None,
        "language_hint": response["language"] or None,
        "attributes": attributes,
        "question": question,
        # The response's one record: its key is the response's id, as for an imported one.
        "response_key": str(response["external_id"]),
        "text_hash": hashlib.sha256(text.encode()).hexdigest(),
        "import_id": None,
    }
