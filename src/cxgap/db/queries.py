"""Typed read queries that aggregate answers in the database (histograms, not rows);
``excluded``: answers left out (the flagged ones, ``services.flagged``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    InternalCampaign,
    InternalPillarScore,
    InternalResponse,
)

Ids = frozenset[int]
NONE: Ids = frozenset()  # no answer left out


def not_in(
    column: ColumnElement[int] | InstrumentedAttribute[int], ids: Ids
) -> ColumnElement[bool]:
    """``column NOT IN ids`` with the ids written into the statement (integers only), so
    that thousands of flagged answers stay under SQLite's limit on bound parameters."""
    if not ids:
        return true()
    return column.not_in(bindparam(None, sorted(ids), expanding=True, literal_execute=True))


@dataclass(frozen=True)
class InternalRow:
    response_id: int
    department: str
    pillar_id: int
    current: int
    desired: int
    rank: int | None


def internal_rows(session: Session, workspace_id: int) -> list[InternalRow]:
    query = (
        select(
            InternalResponse.id,
            InternalResponse.department,
            InternalPillarScore.pillar_id,
            InternalPillarScore.current,
            InternalPillarScore.desired,
            InternalPillarScore.rank,
        )
        .join(InternalPillarScore, InternalPillarScore.response_id == InternalResponse.id)
        .join(InternalCampaign, InternalCampaign.id == InternalResponse.campaign_id)
        .where(InternalCampaign.workspace_id == workspace_id)
        .order_by(InternalResponse.id)
    )
    return [InternalRow(*row) for row in session.execute(query)]


def pillar_score_histograms(
    session: Session, pillar_ids: Sequence[int], column: str, excluded: Ids = NONE
) -> dict[int, dict[int, int]]:
    """pillar id -> score -> count, for ``importance`` or ``performance``."""
    score = getattr(CustomerPillarScore, column)
    query = (
        select(CustomerPillarScore.pillar_id, score, func.count())
        .where(CustomerPillarScore.pillar_id.in_(pillar_ids), score.is_not(None))
        .where(not_in(CustomerPillarScore.response_id, excluded))
        .group_by(CustomerPillarScore.pillar_id, score)
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for pillar_id, value, count in session.execute(query):
        result[pillar_id][int(value)] = int(count)
    return dict(result)


def response_histogram(
    session: Session, workspace_id: int, column: str, excluded: Ids = NONE
) -> dict[int, int]:
    """value -> count of a customer response column (nps, csat, ces)."""
    value = getattr(CustomerResponse, column)
    query = (
        select(value, func.count())
        .where(CustomerResponse.workspace_id == workspace_id, value.is_not(None))
        .where(not_in(CustomerResponse.id, excluded))
        .group_by(value)
    )
    return {int(v): int(c) for v, c in session.execute(query)}


def count_responses(session: Session, workspace_id: int, excluded: Ids = NONE) -> int:
    query = select(func.count(CustomerResponse.id)).where(
        CustomerResponse.workspace_id == workspace_id, not_in(CustomerResponse.id, excluded)
    )
    return int(session.scalar(query) or 0)


def count_unknown_birth_year(session: Session, workspace_id: int, excluded: Ids = NONE) -> int:
    query = select(func.count(CustomerResponse.id)).where(
        CustomerResponse.workspace_id == workspace_id,
        CustomerResponse.birth_year.is_(None),
        not_in(CustomerResponse.id, excluded),
    )
    return int(session.scalar(query) or 0)


def nps_by_group(
    session: Session, workspace_id: int, grouping: str, excluded: Ids = NONE
) -> dict[tuple[Any, int], int]:
    """(group value, nps) -> count, grouping by ``birth_year`` or ``segment_key``.

    Grouping by the raw birth year (not the cohort) lets the database aggregate in index
    order; the caller folds years into cohorts.
    """
    group = getattr(CustomerResponse, grouping)
    query = (
        select(group, CustomerResponse.nps, func.count())
        .where(
            CustomerResponse.workspace_id == workspace_id,
            CustomerResponse.nps.is_not(None),
            group.is_not(None),
            not_in(CustomerResponse.id, excluded),
        )
        .group_by(group, CustomerResponse.nps)
    )
    return {(g, int(v or 0)): int(c) for g, v, c in session.execute(query)}


def importance_by_group(
    session: Session, pillar_ids: Sequence[int], grouping: str, excluded: Ids = NONE
) -> dict[tuple[Any, int, int], int]:
    """(group value, pillar id, importance) -> count, by ``birth_year`` or ``segment_key``.

    Answers without a group value come back under None, so that summing every group gives
    the overall histogram without another pass over the table.
    """
    group = getattr(CustomerPillarScore, grouping)
    importance = CustomerPillarScore.importance
    query = (
        select(group, CustomerPillarScore.pillar_id, importance, func.count())
        .where(CustomerPillarScore.pillar_id.in_(pillar_ids), importance.is_not(None))
        .where(not_in(CustomerPillarScore.response_id, excluded))
        .group_by(CustomerPillarScore.pillar_id, group, importance)
    )
    return {(g, int(p), int(v or 0)): int(c) for g, p, v, c in session.execute(query)}
