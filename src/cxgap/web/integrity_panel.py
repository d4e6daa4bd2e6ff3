"""What the integrity page and the results page's with/without-flagged panel show: the
workspace's flags turned into rows in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.integrity.funnel_svg import funnel_svg
from cxgap.integrity.words import flag_label, reason
from cxgap.services.flagged import flagged_set
from cxgap.services.integrity import WorkspaceIntegrity, workspace_integrity

# Flagged answers listed on the page (the JSON twin lists them all).
SHOWN = 200


@dataclass(frozen=True)
class Row:
    """A flagged answer or unit with its flags said in words."""

    name: str
    cells: dict[str, Any]
    reasons: list[tuple[str, str]]  # (label, reason)


def page_context(session: Session, workspace: Workspace, locale: str) -> dict[str, Any]:
    """The integrity page: summary, funnel plot, units, flagged answers, begging verbatims."""
    found = workspace_integrity(session, workspace=workspace)
    report = found.report
    flagged = [v for v in report.responses if v.flags]
    answers = []
    for verdict in flagged[:SHOWN]:
        row = found.answers[verdict.response_id]
        cells = {"at": row.submitted_at, "agent": row.agent, "nps": row.nps,
                 "comment": row.comment, "language": row.language}  # fmt: skip
        answers.append(Row(verdict.response_id, cells, _reasons(verdict.flags, locale)))
    units = [
        Row(a.agent, {"unit": a}, _reasons(a.flags, locale))
        for a in sorted(report.agents, key=lambda a: (a.rank is None, a.rank or 0, a.agent))
    ]
    svg = funnel_svg(
        report,
        x_label=translate("integrity.page.funnel_x", locale),
        y_label=translate("integrity.page.funnel_y", locale),
        title=translate("integrity.page.funnel_title", locale),
    )
    return {
        "total": len(report.responses),
        "flagged_count": len(flagged),
        "answers": answers,
        "units": units,
        "funnel_svg": svg,
        "funnel": report.funnel,
        "counts": _counts(found),
        "begging_verbatims": found.begging_verbatims,
        "shown": SHOWN,
    }


def panel_context(session: Session, workspace: Workspace, exclude: bool) -> dict[str, Any]:
    """The results page's panel: each headline figure with and without flagged answers
    (from the flagged set ``services.flagged`` caches)."""
    found = flagged_set(session, workspace)
    return {
        "exclude": exclude,
        "moves": found.moves,
        "flagged_count": found.count,
        "total": found.total,
    }


def _reasons(flags: Any, locale: str) -> list[tuple[str, str]]:
    return [(flag_label(flag.name, locale), reason(flag, locale)) for flag in flags]


def _counts(found: WorkspaceIntegrity) -> list[tuple[str, int]]:
    """How many answers carry each flag, in the flags' order."""
    counts: dict[str, int] = {}
    for verdict in found.report.responses:
        for name in verdict.names:
            counts[name] = counts.get(name, 0) + 1
    return list(counts.items())
