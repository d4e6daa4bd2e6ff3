"""The retention and value pages of a workspace (issue 14), and their API: computed from the
stored events in one pass (``retention.grouped``), grouped by segment, persona and path, and
kept in the results cache.

One computation gives both pages: it is stored under the settings' cache key with the
workspace's data revision (answers, feedback, segments) and a fingerprint of its events,
imports, activity mapping and personas; either changed, the figures are computed again.

The payload is plain JSON: ``retention`` (churn, repeat purchases, cohort tables overall, by
segment and by persona, churn by segment/persona/path, stayed vs left) and ``value`` (the
CLV fit, value by segment/persona/path, value at risk of detractors, and the sentences saying
how it was computed in French and English). ``empty`` names what is missing when there is
nothing to show (``no_events``, ``no_purchases``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db.customer_voice import customer_voice
from cxgap.db.event_reads import activity_counts, workspace_events
from cxgap.db.revisions import revision_of
from cxgap.db.tables import ResultsCache, Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import LOCALES
from cxgap.retention.grouped import ENTRY, PATH, Grouped, grouped_report
from cxgap.retention.report import problem_json
from cxgap.retention.stayed_left import last_scores
from cxgap.retention.words import at_risk, how_computed
from cxgap.services.flagged import EXCLUDE_SUFFIX, excluded_ids, workspace_choice
from cxgap.services.retention_pages_inputs import (
    customer_personas,
    customer_segments,
    events_fingerprint,
    persona_of_segment,
    survey_scores,
)
from cxgap.services.retention_pages_settings import PageSettings

FORMAT = 2  # 2: cohort tables by persona
SEGMENT, PERSONA = "segment", "persona"
GROUPINGS = (SEGMENT, PERSONA, ENTRY, PATH)

Payload = dict[str, Any]


def retention_pages(session: Session, workspace: Workspace, chosen: PageSettings) -> Payload:
    """Both pages' figures for ``chosen``, from the cache while the data is unchanged."""
    revision = revision_of(session, workspace.id)  # read before the data it is stored with
    fingerprint = events_fingerprint(session, workspace.id)
    excluded = excluded_ids(session, workspace, workspace_choice(session, workspace))
    params = chosen.cache_params() + (EXCLUDE_SUFFIX if excluded else "")
    cached = session.scalar(
        select(ResultsCache).where(
            ResultsCache.workspace_id == workspace.id, ResultsCache.params == params
        )
    )
    if cached is not None and cached.data_revision == revision:
        stored: dict[str, Any] = dict(cached.payload)
        if stored.get("format") == FORMAT and stored.get("fingerprint") == fingerprint:
            stored["cached"] = True
            return stored
    payload = compute_pages(session, workspace, chosen, excluded)
    payload["fingerprint"] = fingerprint
    _store(session, workspace, params, payload, revision, cached)
    return payload | {"cached": False}


def compute_pages(
    session: Session,
    workspace: Workspace,
    chosen: PageSettings,
    excluded: frozenset[int] = frozenset(),
) -> Payload:
    """Both pages' figures, computed now; ``excluded``: the survey answers the workspace's
    integrity choice leaves out (``services.flagged``), whose scores are not read."""
    base: Payload = {
        "format": FORMAT,
        "workspace": workspace.key,
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": chosen.as_json(),
        "flagged_excluded": len(excluded),
    }
    activities = activity_counts(session, workspace.id)
    if not activities:
        return base | {"empty": "no_events", "retention": None, "value": None}
    _check_activities(chosen, {name for name, _, _ in activities})
    segments = customer_segments(session, workspace)
    personas = customer_personas(segments, persona_of_segment(session, workspace))
    voices = customer_voice(session, workspace.id)
    nps = last_scores(
        chain(
            survey_scores(session, workspace.id, excluded),
            ((ref, v.nps_at, v.nps) for ref, v in voices.items() if v.nps is not None and v.nps_at),
        )
    )
    sentiment = {ref: v.sentiment_mean for ref, v in voices.items() if v.sentiment_mean is not None}
    try:
        report = grouped_report(
            workspace_events(session, workspace.id),
            chosen.settings(),
            {SEGMENT: segments, PERSONA: personas},
            cohort_grouping=SEGMENT,
            cohorts_by=(PERSONA,),
            nps=nps,
            sentiment=sentiment,
        )
    except ValidationError as refused:
        if refused.problems and refused.problems[0].field == "purchase_activities":
            return base | {"empty": "no_purchases", "retention": None, "value": None}
        raise
    return base | {"empty": None, "retention": retention_json(report), "value": value_json(report)}


def retention_json(report: Grouped) -> Payload:
    return {
        "as_of": report.history.as_of.isoformat(),
        "customers": len(report.history.customers),
        "has_amounts": report.history.has_amounts,
        "churn": report.churn.as_json(),
        "by": {
            name: {group: c.as_json() for group, c in report.churn_by[name].items()}
            for name in GROUPINGS
        },
        "cohorts": report.cohorts.as_json(),
        "cohort_grouping": SEGMENT,
        # The same tables by persona (the overall table is the one above).
        "cohorts_by": {
            name: {"groups": r["groups"], "ungrouped": r["ungrouped"]}
            for name, r in ((n, t.as_json()) for n, t in report.cohorts_by.items())
        },
        "stayed_vs_left": report.stayed_left.as_json(),
    }


def value_json(report: Grouped) -> Payload:
    values, risk = report.value, report.at_risk
    if values is None or risk is None:
        problem = report.value_problem
        return {
            "fit": None,
            # Both languages: the cache serves both.
            "problem": {locale: problem_json(problem, locale) for locale in LOCALES},
        }
    return {
        "fit": values.fit.as_json(),
        "horizon": values.horizon.as_json(),
        "customers": len(values.values),
        "total": values.total,
        "by": {name: report.value_by[name].as_json() for name in GROUPINGS},
        "at_risk": risk.as_json(),
        "words": {
            locale: {"how": how_computed(values, locale), "at_risk": at_risk(values, risk, locale)}
            for locale in LOCALES
        },
        "problem": None,
    }


def _check_activities(chosen: PageSettings, stored: set[str]) -> None:
    unknown = [name for name in chosen.purchases or () if name not in stored]
    if unknown:
        problem = FieldProblem(
            "purchases",
            "no event of the workspace has this activity",
            unknown[0],
            code="unknown_activity",
        )
        raise ValidationError([problem], summary="These retention settings cannot be used")


def _store(
    session: Session,
    workspace: Workspace,
    params: str,
    payload: Mapping[str, Any],
    revision: int,
    cached: ResultsCache | None,
) -> None:
    if cached is not None:
        cached.data_revision, cached.payload = revision, dict(payload)
        cached.computed_at = datetime.now(UTC)
        return
    try:  # a concurrent request that stored them first: theirs will do
        with session.begin_nested():
            session.add(
                ResultsCache(
                    workspace_id=workspace.id,
                    params=params,
                    data_revision=revision,
                    payload=dict(payload),
                )
            )
    except IntegrityError:
        pass
