"""The executive report written out: JSON, HTML or PDF bytes, with their media type and a
file name. The CLI, the web page, the REST API and the scheduled e-mail all call this."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.impact.gap import ActionGap
from cxgap.reporting.executive_model import ExecutiveReport, SubjectGap
from cxgap.reporting.executive_period import parse_period
from cxgap.services.executive_report import build_executive_report
from cxgap.services.integrity_warnings import integrity_warnings as checked_warnings

FORMATS = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
LOCALES = ("en", "fr")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    media_type: str
    file_name: str


def check_choice(field: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ValidationError.single(field, f"must be one of {', '.join(allowed)}", value)
    return value


def render_executive(
    report: ExecutiveReport, *, fmt: str, locale: str, paper: str | None = None
) -> Rendered:
    check_choice("format", fmt, tuple(FORMATS))
    check_choice("lang", locale, LOCALES)
    if fmt == "json":
        content = json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    elif fmt == "html":
        from cxgap.reporting.executive_html import render_executive_html

        content = render_executive_html(report, locale=locale).encode("utf-8")
    else:
        from cxgap.reporting.executive_pdf import render_executive_pdf

        content = render_executive_pdf(report, locale=locale, paper=paper)
    name = f"cxgap-{report.workspace}-executive-{report.period.label}-{locale}.{fmt}"
    return Rendered(content, FORMATS[fmt], name.replace("..", "_"))


def executive_file(
    session: Session,
    workspace: Workspace,
    *,
    period: str | None,
    fmt: str,
    locale: str,
    paper: str | None = None,
    today: date | None = None,
    action_gaps: Sequence[ActionGap] | None = None,
    integrity_warnings: Sequence[str] | None = None,
) -> Rendered:
    """Build and render in one call; the period, format, language and paper are checked
    before anything is computed. Without ``integrity_warnings``, the workspace's answers are
    checked now and the warnings said in ``locale`` (``services.integrity_warnings``).
    Without ``action_gaps``, the action gap as of the period's end is measured
    (``services.action_outcomes.report_action_gaps``), with that of the touchpoints,
    drivers, personas and segments (``services.subject_gaps``)."""
    check_choice("format", fmt, tuple(FORMATS))
    check_choice("lang", locale, LOCALES)
    if paper is not None:
        from cxgap.reporting.executive_pdf import check_paper

        paper = check_paper(paper, locale)
    chosen = parse_period(period, today=today)
    if integrity_warnings is None:
        integrity_warnings = checked_warnings(session, workspace, locale)
    other_gaps: Sequence[SubjectGap] = ()
    if action_gaps is None:
        from cxgap.services.action_outcomes import report_action_gaps, report_day
        from cxgap.services.subject_gaps import workspace_subject_gaps

        action_gaps = report_action_gaps(session, workspace, chosen)
        today_, as_of = report_day(session, workspace, chosen)
        other_gaps = workspace_subject_gaps(session, workspace, today=today_, as_of=as_of)
    report = build_executive_report(
        session,
        workspace,
        period=chosen,
        action_gaps=action_gaps,
        integrity_warnings=integrity_warnings,
        other_gaps=other_gaps,
    )
    return render_executive(report, fmt=fmt, locale=locale, paper=paper)
