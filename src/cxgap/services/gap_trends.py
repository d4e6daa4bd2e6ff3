"""The three gaps side by side per pillar, with the trend of the knowledge and desire gaps
since the last campaign.

The gaps are the assessment's (every answer, as on the results page and in the executive
report). The trend compares the two latest internal campaigns (by creation date) as waves:
the previous wave is its campaign's answers and the customer answers given before the latest
campaign started; the latest wave is the latest campaign's answers and the customer answers
given since (all customer answers when none came since). The trend is the difference of the
two waves' gaps (knowledge: colleagues' current mean minus customers' performance mean;
desire: colleagues' desired mean minus their current mean); no interval is given for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.queries import NONE, Ids, not_in
from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    InternalCampaign,
    InternalPillarScore,
    InternalResponse,
    Pillar,
    Workspace,
)
from cxgap.impact.gap import ActionGap
from cxgap.reporting.executive_model import PillarGaps
from cxgap.services.executive_report import pillar_gaps
from cxgap.services.flagged import Mode, excluded_ids, workspace_choice


@dataclass(frozen=True)
class GapTrend:
    """One pillar: its three gaps and how the first two moved since the last campaign."""

    gaps: PillarGaps
    knowledge_change: float | None
    desire_change: float | None


@dataclass(frozen=True)
class GapsView:
    pillars: tuple[GapTrend, ...]
    latest: str | None  # the latest campaign's name; None: fewer than two campaigns
    previous: str | None


def _internal_means(session: Session, campaign_id: int) -> dict[str, tuple[float, float]]:
    query = (
        select(
            Pillar.key, func.avg(InternalPillarScore.current), func.avg(InternalPillarScore.desired)
        )
        .join(InternalPillarScore, InternalPillarScore.pillar_id == Pillar.id)
        .join(InternalResponse, InternalResponse.id == InternalPillarScore.response_id)
        .where(InternalResponse.campaign_id == campaign_id)
        .group_by(Pillar.key)
    )
    return {key: (float(cur), float(des)) for key, cur, des in session.execute(query)}


def _performance_means(
    session: Session,
    workspace: Workspace,
    *,
    before: datetime | None = None,
    since: datetime | None = None,
    excluded: Ids = NONE,
) -> dict[str, float]:
    query = (
        select(Pillar.key, func.avg(CustomerPillarScore.performance))
        .join(CustomerPillarScore, CustomerPillarScore.pillar_id == Pillar.id)
        .join(CustomerResponse, CustomerResponse.id == CustomerPillarScore.response_id)
        .where(
            CustomerResponse.workspace_id == workspace.id,
            CustomerPillarScore.performance.is_not(None),
            not_in(CustomerResponse.id, excluded),
        )
        .group_by(Pillar.key)
    )
    if before is not None:
        query = query.where(CustomerResponse.submitted_at < before)
    if since is not None:
        query = query.where(CustomerResponse.submitted_at >= since)
    return {key: float(mean) for key, mean in session.execute(query) if mean is not None}


def _wave_gaps(
    internal: dict[str, tuple[float, float]], performance: dict[str, float]
) -> dict[str, tuple[float | None, float]]:
    return {
        key: (current - performance[key] if key in performance else None, desired - current)
        for key, (current, desired) in internal.items()
    }


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def gaps_view(
    session: Session,
    workspace: Workspace,
    *,
    action_gaps: Sequence[ActionGap] = (),
    confidence: float = 0.95,
    min_group_size: int = 30,
    flagged: Mode | None = None,
) -> GapsView:
    """The gaps with or without the flagged answers (``flagged``, else the workspace's
    choice), their trends too."""
    mode = flagged or workspace_choice(session, workspace)
    x = excluded_ids(session, workspace, mode)
    gaps = pillar_gaps(
        session,
        workspace,
        action_gaps=action_gaps,
        confidence=confidence,
        min_group_size=min_group_size,
        flagged=mode,
    )
    campaigns = list(
        session.scalars(
            select(InternalCampaign)
            .where(InternalCampaign.workspace_id == workspace.id)
            .order_by(InternalCampaign.created_at.desc(), InternalCampaign.id.desc())
            .limit(2)
        )
    )
    if len(campaigns) < 2:
        return GapsView(tuple(GapTrend(g, None, None) for g in gaps), None, None)
    latest, previous = campaigns
    now = _wave_gaps(
        _internal_means(session, latest.id),
        _performance_means(session, workspace, since=latest.created_at, excluded=x)
        or _performance_means(session, workspace, excluded=x),
    )
    before = _wave_gaps(
        _internal_means(session, previous.id),
        _performance_means(session, workspace, before=latest.created_at, excluded=x),
    )
    trends = []
    for g in gaps:
        k_now, d_now = now.get(g.pillar, (None, None))
        k_before, d_before = before.get(g.pillar, (None, None))
        trends.append(GapTrend(g, _difference(k_now, k_before), _difference(d_now, d_before)))
    return GapsView(tuple(trends), latest.name, previous.name)
