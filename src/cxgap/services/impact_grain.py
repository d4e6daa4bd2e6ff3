"""Per week or per month: the grain an action's impact is measured on (docs/actions.md, "Per
week or per month").

Asked for (``?grain=week|month`` on the action page and on ``GET …/actions/{id}/impact``),
it is checked and used. Not asked for, the grain is the one whose series has enough periods:
months when the monthly series carries a test (at least the before/after comparison's two
periods on each side of the start), else weeks when the weekly series carries more (the
before/after comparison, or the segmented regression's ``MIN_SIDE`` periods a side and
``MIN_TOTAL`` in all), else months. An action a few weeks old is thus measured per week until
its months come. The action gap and the executive report keep months (one verdict per action,
whatever the page shows).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, Workspace
from cxgap.errors import ValidationError
from cxgap.impact.analysis import MIN_SIDE, MIN_TOTAL
from cxgap.impact.view import ImpactView
from cxgap.services.action_outcomes import action_impact
from cxgap.services.metric_series import Period

GRAINS: tuple[Period, ...] = ("week", "month")


def check_grain(value: str | None) -> Period | None:
    """``week`` or ``month``; None when not given (the default then chosen)."""
    text = (value or "").strip()
    if not text:
        return None
    if text not in GRAINS:
        raise ValidationError.single("grain", "must be week or month", text, code="grain")
    return text


def enough(view: ImpactView) -> tuple[bool, bool]:
    """Whether the series carries the segmented regression, and the before/after comparison."""
    before = sum(p.period < view.start for p in view.series)
    after = len(view.series) - before
    regression = before >= MIN_SIDE and after >= MIN_SIDE and len(view.series) >= MIN_TOTAL
    return regression, before >= 2 and after >= 2


def impact_by_grain(
    session: Session,
    workspace: Workspace,
    action: ActionRow,
    *,
    today: date | None = None,
    grain: Period | None = None,
) -> ImpactView | None:
    """``action_impact`` per ``grain``, or per the grain with enough periods (above)."""
    if grain is not None:
        return action_impact(session, workspace, action, today=today, grain=grain)
    monthly = action_impact(session, workspace, action, today=today, grain="month")
    if monthly is None or enough(monthly)[1]:
        return monthly
    weekly = action_impact(session, workspace, action, today=today, grain="week")
    return weekly if weekly is not None and enough(weekly) > enough(monthly) else monthly
