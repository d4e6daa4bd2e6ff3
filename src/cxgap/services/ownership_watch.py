"""What moved in what teams own: each owned subject's window against its baseline, tested by
``analytics.worsening`` (Holm across the subjects of one run), with the window's top irritant.
Read by the worsening alerts (services/ownership_alerts.py) and the team digests
(services/ownership_digest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.analytics.worsening import (
    DEFAULT_ALPHA,
    DEFAULT_MIN_COUNT,
    MeasureChange,
    Subject,
    SubjectResult,
    detect_worsening,
)
from cxgap.db import ownership_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.tables import Topic, Workspace
from cxgap.i18n import translate
from cxgap.i18n.numbers import MISSING, format_decimal, format_percent
from cxgap.services.ownership import owners_by_subject, subject_names

ALERT_WINDOW_DAYS = 7
ALERT_BASELINE_DAYS = 28


@dataclass(frozen=True)
class Windows:
    """Baseline [baseline_start, window_start), window [window_start, window_end)."""

    baseline_start: datetime
    window_start: datetime
    window_end: datetime


def windows_ending(now: datetime, *, window_days: int, baseline_days: int) -> Windows:
    """Whole UTC days: the window ends at the start of ``now``'s day."""
    if window_days < 1 or baseline_days < 1:
        raise ValueError(f"windows must be 1 day or more, got {window_days}, {baseline_days}")
    end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=window_days)
    return Windows(start - timedelta(days=baseline_days), start, end)


@dataclass(frozen=True)
class SubjectReport:
    """One owned subject's measures, names, owners and top irritant of the window."""

    kind: str
    key: str
    name_en: str
    name_fr: str
    teams: tuple[str, ...]
    result: SubjectResult
    irritant: tuple[str, str, int] | None  # topic name en, fr, verbatims

    def name(self, locale: str) -> str:
        return self.name_fr if locale == "fr" else self.name_en

    def irritant_name(self, locale: str) -> str | None:
        if self.irritant is None:
            return None
        return self.irritant[1] if locale == "fr" else self.irritant[0]


def subject_filter(topics: Sequence[Topic], kind: str, key: str) -> FeedbackFilter:
    """The Listening filter of a subject: a pillar's topics; a touchpoint's own verbatims and
    its topics' (as the Listening filters and the journey overlay count them)."""
    if kind == "pillar":
        return FeedbackFilter(topic_sets=(tuple(t.key for t in topics if key in t.pillar_keys),))
    linked = tuple(t.key for t in topics if key in t.touchpoint_keys)
    return FeedbackFilter(touchpoint=key, touchpoint_topics=linked)


def measure_subjects(
    session: Session,
    workspace: Workspace,
    windows: Windows,
    *,
    only: Sequence[tuple[str, str]] | None = None,
    alpha: float = DEFAULT_ALPHA,
    min_count: int = DEFAULT_MIN_COUNT,
) -> list[SubjectReport]:
    """Every owned subject of the workspace (or ``only`` these), tested together."""
    owners = owners_by_subject(session, workspace)
    names = subject_names(session, workspace)
    chosen = [s for s in (only if only is not None else sorted(owners)) if s in names]
    topics = list(session.scalars(select(Topic).where(Topic.workspace_id == workspace.id)))
    topic_names = {t.key: (t.name_en, t.name_fr) for t in topics}
    filters = {s: subject_filter(topics, *s) for s in chosen}
    subjects = []
    for kind, key in chosen:
        window, baseline = ownership_queries.period_stats(
            session,
            workspace.id,
            filters[(kind, key)],
            baseline_start=windows.baseline_start,
            window_start=windows.window_start,
            window_end=windows.window_end,
        )
        subjects.append(Subject(kind, key, window, baseline))
    results = detect_worsening(subjects, alpha=alpha, min_count=min_count)
    reports = []
    for (kind, key), result in zip(chosen, results, strict=True):
        top = ownership_queries.top_irritant(
            session, workspace.id, filters[(kind, key)], windows.window_start, windows.window_end
        )
        irritant = None
        if top is not None:
            en, fr = topic_names.get(top[0], (top[0], top[0]))
            irritant = (en, fr, top[1])
        en, fr = names[(kind, key)]
        teams = tuple(owners.get((kind, key), ()))
        reports.append(SubjectReport(kind, key, en, fr, teams, result, irritant))
    return reports


def verbatims_behind(
    session: Session, workspace: Workspace, report: SubjectReport, windows: Windows, limit: int = 3
) -> list[str]:
    """The window's most negative verbatims of the subject, contact details masked when the
    installation masks them (they were masked when stored; masked again, to be sure)."""
    from cxgap.services.contact_masking import stored_text

    topics = list(session.scalars(select(Topic).where(Topic.workspace_id == workspace.id)))
    rows = ownership_queries.most_negative_verbatims(
        session,
        workspace.id,
        subject_filter(topics, report.kind, report.key),
        windows.window_start,
        windows.window_end,
        limit,
    )
    return [stored_text(session, text) for text, _, _ in rows]


def measure_view(m: MeasureChange, locale: str) -> dict[str, object]:
    """A measure written for a reader: its name, both values, the change and the p-value."""

    def value(x: float | None, *, signed: bool = False) -> str:
        if x is None:
            return MISSING
        if m.measure == "negative_share" and signed:  # a change of share: in points
            points = format_decimal(100 * x, locale, decimals=0, signed=True)
            return translate("ownership.points", locale, value=points)
        if m.measure == "negative_share":
            return format_percent(x, locale)
        return format_decimal(x, locale, decimals=0 if m.measure == "nps" else 2, signed=signed)

    if m.p_adjusted is None:
        p_text = translate("ownership.not_tested", locale, n=min(m.window_n, m.baseline_n))
    elif m.p_adjusted < 0.001:
        p_text = "p < " + format_decimal(0.001, locale, decimals=3)
    else:
        p_text = "p = " + format_decimal(m.p_adjusted, locale, decimals=3)
    return {
        "measure": m.measure,
        "label": translate(f"ownership.measure.{m.measure}", locale),
        "window": value(m.window),
        "baseline": value(m.baseline),
        "change": value(m.change, signed=True),
        "p": p_text,
        "window_n": m.window_n,
        "baseline_n": m.baseline_n,
        "significant": m.significant,
        "tested": m.tested,
    }


def measure_json(m: MeasureChange) -> dict[str, object]:
    """A measure as plain JSON (webhooks, the API, the alert rows)."""
    return {
        "measure": m.measure,
        "window": m.window,
        "baseline": m.baseline,
        "change": m.change,
        "window_n": m.window_n,
        "baseline_n": m.baseline_n,
        "statistic": m.statistic,
        "p": m.p,
        "p_adjusted": m.p_adjusted,
        "significant": m.significant,
    }


def reports_json(reports: Sequence[SubjectReport], windows: Windows) -> dict[str, object]:
    """A run as JSON: the windows, and each subject's measures, owners and top irritant."""
    return {
        "window": {"from": windows.window_start.isoformat(), "to": windows.window_end.isoformat()},
        "baseline": {
            "from": windows.baseline_start.isoformat(),
            "to": windows.window_start.isoformat(),
        },
        "subjects": [
            {
                "kind": r.kind,
                "key": r.key,
                "name": r.name_en,
                "teams": list(r.teams),
                "worsened": r.result.worsened,
                "top_irritant": None if r.irritant is None else r.irritant[0],
                "measures": [measure_json(m) for m in r.result.measures],
            }
            for r in reports
        ],
    }
