"""The rows one customer answer is stored as: its response and its pillar scores (shared by
the batch store, the CSV and API imports, and the public form's short path)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from cxgap.schema import CustomerAnswer


def response_row(
    workspace_id: int,
    survey_id: int | None,
    source: str,
    external_id: str,
    answer: CustomerAnswer,
    now: datetime,
) -> dict[str, object]:
    return {
        "workspace_id": workspace_id,
        "survey_id": survey_id,
        "source": source,
        "external_id": external_id,
        "submitted_at": answer.submitted_at or now,
        "language": answer.language,
        "nps": answer.nps,
        "csat": answer.csat,
        "ces": answer.ces,
        "birth_year": answer.birth_year,
        "segment_key": answer.segment_key,
        "comment": answer.comment,
        "consent": answer.consent,
        "customer_ref": answer.customer_ref,
        "agent": answer.agent,
        "duration_seconds": answer.duration_seconds,
    }


def score_rows(
    response_ids: Iterable[int], answers: Iterable[CustomerAnswer], pillar_ids: Mapping[str, int]
) -> Iterable[dict[str, object]]:
    for response_id, answer in zip(response_ids, answers, strict=True):
        for key, scores in answer.pillars.items():
            yield {
                "response_id": response_id,
                "pillar_id": pillar_ids[key],
                "importance": scores.importance,
                "performance": scores.performance,
                "birth_year": answer.birth_year,
                "segment_key": answer.segment_key,
            }
