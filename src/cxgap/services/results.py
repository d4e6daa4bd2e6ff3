"""The assessment results of a workspace: gathered as histograms, computed, cached."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.analytics.assessment import compute_assessment
from cxgap.analytics.generations import generation_of
from cxgap.analytics.inputs import (
    AssessmentData,
    Counts,
    CustomerData,
    InternalData,
    PillarInfo,
)
from cxgap.analytics.json_shape import matches_shape
from cxgap.analytics.results_json import NpsPeriodJson, ResultsJson
from cxgap.db import queries, source_queries
from cxgap.db.queries import NONE, Ids
from cxgap.db.revisions import revision_of
from cxgap.db.tables import Pillar, ResultsCache, Workspace
from cxgap.services.flagged import EXCLUDE_SUFFIX, Mode, excluded_ids, workspace_choice
from cxgap.services.workspaces import pillars_of, segments_of

SCALE_SIZES = {"importance": 5, "performance": 5, "nps": 11, "csat": 5, "ces": 7}
SCALE_OFFSETS = {"importance": 1, "performance": 1, "nps": 0, "csat": 1, "ces": 1}


def _counts(histogram: Mapping[int, int], scale: str) -> Counts:
    counts = np.zeros(SCALE_SIZES[scale], dtype=np.int64)
    for value, count in histogram.items():
        counts[value - SCALE_OFFSETS[scale]] = count
    return counts


def gather_internal(session: Session, workspace: Workspace, pillars: list[Pillar]) -> InternalData:
    rows = queries.internal_rows(session, workspace.id)
    column_of = {p.id: i for i, p in enumerate(pillars)}
    respondents = sorted({r.response_id for r in rows})
    row_of = {rid: i for i, rid in enumerate(respondents)}
    shape = (len(respondents), len(pillars))
    current, desired, rank = (np.full(shape, np.nan) for _ in range(3))
    departments = [""] * len(respondents)
    for r in rows:
        i, j = row_of[r.response_id], column_of[r.pillar_id]
        current[i, j], desired[i, j] = r.current, r.desired
        rank[i, j] = np.nan if r.rank is None else r.rank
        departments[i] = r.department
    return InternalData(
        pillar_keys=[p.key for p in pillars],
        current=current,
        desired=desired,
        rank=rank,
        departments=departments,
    )


def _group_name(grouping: str, value: Any) -> str:
    if grouping == "birth_year":
        return generation_of(int(value)) or "unknown"
    return str(value)


def _importance_groups(
    raw: Mapping[tuple[Any, int, int], int], key_of: Mapping[int, str], grouping: str
) -> dict[str, dict[str, Counts]]:
    nested: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for (value, pillar_id, score), count in raw.items():
        cell = nested[_group_name(grouping, value)][key_of[pillar_id]]
        cell[score] = cell.get(score, 0) + count
    return {
        group: {key: _counts(h, "importance") for key, h in per_pillar.items()}
        for group, per_pillar in nested.items()
    }


def _nps_groups(raw: Mapping[tuple[Any, int], int], grouping: str) -> dict[str, Counts]:
    nested: dict[str, dict[int, int]] = defaultdict(dict)
    for (value, score), count in raw.items():
        cell = nested[_group_name(grouping, value)]
        cell[score] = cell.get(score, 0) + count
    return {group: _counts(h, "nps") for group, h in nested.items()}


def _overall(raw: Mapping[tuple[Any, int, int], int]) -> dict[int, dict[int, int]]:
    """pillar id -> score -> count, summed over every group (including no group)."""
    total: dict[int, dict[int, int]] = defaultdict(dict)
    for (_, pillar_id, score), count in raw.items():
        total[pillar_id][score] = total[pillar_id].get(score, 0) + count
    return total


def _known(raw: Mapping[tuple[Any, int, int], int]) -> dict[tuple[Any, int, int], int]:
    return {k: v for k, v in raw.items() if k[0] is not None}


def gather_customer(
    session: Session, workspace: Workspace, pillars: list[Pillar], excluded: Ids = NONE
) -> CustomerData:
    """The customer answers' histograms, ``excluded`` answers left out."""
    ids = [p.id for p in pillars]
    key_of = {p.id: p.key for p in pillars}
    ws, x = workspace.id, excluded
    by_year = queries.importance_by_group(session, ids, "birth_year", x)
    by_segment = queries.importance_by_group(session, ids, "segment_key", x)
    importance = _overall(by_year)
    performance = queries.pillar_score_histograms(session, ids, "performance", x)
    return CustomerData(
        n_responses=queries.count_responses(session, ws, x),
        importance_counts={key_of[i]: _counts(importance.get(i, {}), "importance") for i in ids},
        performance_counts={key_of[i]: _counts(performance.get(i, {}), "performance") for i in ids},
        nps_counts=_counts(queries.response_histogram(session, ws, "nps", x), "nps"),
        csat_counts=_counts(queries.response_histogram(session, ws, "csat", x), "csat"),
        ces_counts=_counts(queries.response_histogram(session, ws, "ces", x), "ces"),
        nps_by_generation=_nps_groups(
            queries.nps_by_group(session, ws, "birth_year", x), "birth_year"
        ),
        nps_by_segment=_nps_groups(
            queries.nps_by_group(session, ws, "segment_key", x), "segment_key"
        ),
        importance_by_generation=_importance_groups(_known(by_year), key_of, "birth_year"),
        importance_by_segment=_importance_groups(_known(by_segment), key_of, "segment_key"),
        generation_unknown_n=queries.count_unknown_birth_year(session, ws, x),
    )


def gather_assessment(
    session: Session, workspace: Workspace, excluded: Ids = NONE
) -> AssessmentData:
    pillars = pillars_of(session, workspace, include_retired=True)
    return AssessmentData(
        pillars=[
            PillarInfo(p.key, p.name_en, p.name_fr, retired=p.retired_at is not None)
            for p in pillars
        ],
        internal=gather_internal(session, workspace, pillars),
        customer=gather_customer(session, workspace, pillars, excluded),
        segment_names={s.key: (s.name_en, s.name_fr) for s in segments_of(session, workspace)},
    )


def compute_results(
    session: Session,
    workspace: Workspace,
    *,
    min_group_size: int = 30,
    confidence: float = 0.95,
    excluded: Ids = NONE,
) -> ResultsJson:
    """The results object of docs/results-format.md, computed now, ``excluded`` answers left
    out (the flagged ones, ``services.flagged``)."""
    data = gather_assessment(session, workspace, excluded)
    results = compute_assessment(
        data, confidence=confidence, min_group_size=min_group_size
    ).to_dict()
    return {
        "workspace": workspace.key,
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **results,
        "segment_names": {k: {"en": en, "fr": fr} for k, (en, fr) in data.segment_names.items()},
        "nps_period": _nps_period(session, workspace, excluded),
    }


def _nps_period(
    session: Session, workspace: Workspace, excluded: Ids = NONE
) -> NpsPeriodJson | None:
    """When the survey's NPS answers were given, so every NPS shown says where it comes from."""
    survey = source_queries.survey_nps(session, workspace.id, excluded)
    if survey.first is None or survey.last is None:
        return None
    return {"first": survey.first.date().isoformat(), "last": survey.last.date().isoformat()}


def results_for(
    session: Session,
    workspace: Workspace,
    *,
    min_group_size: int = 30,
    confidence: float = 0.95,
    flagged: Mode | None = None,
) -> ResultsJson:
    """Cached results, recomputed when answers or pillars changed since, or when the stored
    payload is not in today's format (a cache written by an older cxgap).

    ``flagged``: with (``include``) or without (``exclude``) the flagged answers; None, the
    workspace's choice (``services.flagged``). Without them, the cache key says so."""
    mode = flagged or workspace_choice(session, workspace)
    excluded = excluded_ids(session, workspace, mode)
    params = f"conf={confidence};min={min_group_size}"
    if excluded:
        params += EXCLUDE_SUFFIX
    revision = revision_of(session, workspace.id)  # read before the data it is stored with
    cached = session.scalar(
        select(ResultsCache).where(
            ResultsCache.workspace_id == workspace.id, ResultsCache.params == params
        )
    )
    if cached is not None and cached.data_revision == revision:
        stored: object = cached.payload
        if is_results_json(stored):
            return stored.copy()
    payload = compute_results(
        session, workspace, min_group_size=min_group_size, confidence=confidence, excluded=excluded
    )
    if cached is None:
        _store_cache(session, workspace, params, payload, revision)
    else:
        cached.data_revision, cached.payload = revision, dict(payload)
        cached.computed_at = datetime.now(UTC)
    return payload


def is_results_json(value: object) -> TypeGuard[ResultsJson]:
    """Whether stored JSON has today's results format, every nested key and type included."""
    return matches_shape(value, ResultsJson)


def _store_cache(
    session: Session, workspace: Workspace, params: str, payload: ResultsJson, revision: int
) -> None:
    """Keep the results; if a concurrent request stored them first, theirs will do."""
    try:
        with session.begin_nested():
            session.add(
                ResultsCache(
                    workspace_id=workspace.id,
                    params=params,
                    data_revision=revision,
                    payload=dict(payload),  # the column holds plain JSON
                )
            )
    except IntegrityError:
        pass
