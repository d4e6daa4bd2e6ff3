"""The Listening screens: feedback explorer, topics and irritants, trends, drivers.

Each route parses the query, calls one service and renders; the helpers below only name
things in the reader's language and turn view objects into chart points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response

from cxgap import jobs
from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.ingest.records import SOURCE_TYPES
from cxgap.reporting.listening_charts import sparkline
from cxgap.reporting.listening_drivers import driver_reading, drivers_chart
from cxgap.services import campaigns, idea_evidence_pages, listening, listening_insights
from cxgap.services.accounts import Principal, Role
from cxgap.services.flagged import resolve
from cxgap.services.listening import LANGUAGES, SENTIMENTS, Filters, Taxonomy
from cxgap.services.listening_exact import ExplorerFigures, StoredFigures, Target
from cxgap.services.listening_insights import Level
from cxgap.services.search_estimate import SearchEstimate
from cxgap.web import listening_exact as exact
from cxgap.web.deps import SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.flagged_notice import flagged_notice
from cxgap.web.listening_trend_charts import format_day, period_label, trend_chart, value_text
from cxgap.web.render import channel_name, locale_of, page

router = APIRouter(prefix="/w/{key}/listening")

SENTIMENT_MARKS = {"positive": "+", "neutral": "·", "negative": "−"}


def _common(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    role: Role,
    filters: Filters,
    names: Taxonomy,
) -> dict[str, Any]:
    """What every Listening page shows: the filter bar's choices and the naming helpers."""
    locale = locale_of(request)
    params = dict(filters.values)
    if filters.flagged is not None:  # a reading asked for stays on every link of the page
        params["flagged"] = filters.flagged
    if filters.exact:  # so do the exact figures of a broad search
        params["exact"] = "1"

    # Answers to cxgap's own surveys come in on the survey's key: named after the survey.
    surveys = {survey.key: survey.name for survey, _ in campaigns.surveys_of(session, workspace)}

    def channel(value: str) -> str:
        named = channel_name(locale, value)
        return surveys.get(value, named) if named == value else named

    def with_param(name: str, value: str) -> str:
        updated = {k: v for k, v in params.items() if k != name}
        updated[name] = value
        return urlencode(updated)

    def tr(key: str) -> str:
        return translate(key, locale)

    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "filters": filters,
        "query_string": urlencode(params),
        "without_exact": urlencode({k: v for k, v in params.items() if k != "exact"}),
        "estimate": None,
        "scale": lambda count: count,
        "with_param": with_param,
        "extra_fields": [],
        "source_choices": [(s, tr(f"listening.source.{s}")) for s in SOURCE_TYPES],
        "channel_choices": [(c, channel(c)) for c in listening.channels(session, workspace)],
        "language_choices": [(code, tr(f"listening.language.{code}")) for code in LANGUAGES],
        "sentiment_choices": [(s, tr(f"listening.sentiment.{s}")) for s in SENTIMENTS],
        "topic_choices": sorted(names.topic_names.items(), key=lambda item: item[1].lower()),
        "pillar_choices": list(names.pillar_names.items()),
        "touchpoint_choices": list(names.touchpoint_names.items()),
        "segment_choices": list(names.segment_names.items()),
        "persona_choices": list(names.persona_names.items()),
        "topic_name": lambda key: names.topic_names.get(key, key),
        "pillar_name": lambda key: names.pillar_names.get(key, key),
        "facet_label": _facet_labeller(locale, names, channel),
        "channel_name": channel,
        "sentiment_mark": lambda s: SENTIMENT_MARKS.get(s, ""),
        "day": lambda moment: format_day(moment, locale),
        "can_open_case": role.level >= Role.ANALYST.level,
        "segment_rule_change": _rule_change(session, workspace, filters),
        "flagged_notice": flagged_notice(
            session,
            workspace,
            role=role,
            mode=resolve(session, workspace, filters.flagged),
            here=request.url.path,
            locale=locale,
            listening=True,
        ),
    }


def _rule_change(
    session: SessionDep, workspace: Workspace, filters: Filters
) -> jobs.RuleChange | None:
    """The rule change not yet applied of the segment the page is filtered by (directly or
    through a persona): its figures are the previous rule's until the job is done."""
    segment = filters.values.get("segment")
    segment = segment or jobs.persona_segment(session, workspace, filters.values.get("persona"))
    stale = jobs.QueueSettings.from_env().stale_seconds
    return jobs.rule_change_of(session, workspace, segment, stale_seconds=stale)


def _estimated(estimate: SearchEstimate | None) -> dict[str, Any]:
    """A page's figures from a page sample (``services.search_estimate``): the notice's
    figures and the counts scaled (a float, as an irritant's score, stays one)."""
    if estimate is None:
        return {}

    def scale(count: float) -> float:
        return count * estimate.factor if isinstance(count, float) else estimate.scale(count)

    return {"estimate": estimate, "scale": scale}


def _exact(
    session: SessionDep,
    workspace: Workspace,
    role: Role,
    filters: Filters,
    target: Target,
    estimate: SearchEstimate | None,
    stored: StoredFigures | None,
) -> dict[str, Any]:
    return exact.exact_context(
        session, workspace, role, filters, target, estimate=estimate, figures=stored
    )


def _facet_labeller(
    locale: str, names: Taxonomy, channel: Callable[[str], str]
) -> Callable[[str, str], str]:
    def label(facet: str, value: str) -> str:
        if facet == "topic":
            return names.topic_names.get(value, value)
        if facet in ("source", "sentiment", "language"):
            key = f"listening.{facet}.{value}"
            text = translate(key, locale)
            return value if text == key else text
        if facet == "channel":
            return channel(value)
        return value

    return label


def _open(
    request: Request, session: SessionDep, user: Principal, key: str
) -> tuple[Workspace, Role, Filters, Taxonomy]:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    filters = listening.parse_filters(request.query_params)
    return workspace, role, filters, listening.taxonomy(session, workspace, locale_of(request))


@router.get("", response_class=HTMLResponse)
def explorer(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    after: Annotated[str | None, Query(max_length=80)] = None,
    fragment: bool = False,
) -> Response:
    workspace, role, filters, names = _open(request, session, user, key)
    target = Target("explorer")
    stored = exact.lookup(session, workspace, filters, target)
    figures = stored.view if stored is not None else None
    asked = exact.estimated(filters)
    listed = None
    if isinstance(figures, ExplorerFigures):
        # The stored counts; the verbatims as the estimate lists them (the newest of the
        # sample: the newest of every match of a broad search is a read of every match).
        listed = listening.explore(session, workspace, asked, after=after, with_facets=False)
        result = replace(listed, total=figures.total, facets=figures.facets, estimate=None)
    else:
        result = listening.explore(session, workspace, asked, after=after, with_facets=not fragment)
    context = _common(request, session, user, workspace, role, filters, names)
    context.update(_exact(session, workspace, role, filters, target, result.estimate, stored))
    context.update(exact_listed_sample=listed is not None and listed.estimate is not None)
    context.update(
        page=result,
        coverage=result.coverage,
        facets=result.facets,
        can_correct=role.level >= Role.ANALYST.level,
        can_export=role.level >= Role.ANALYST.level,
        **_estimated(result.estimate),
    )
    template = "_listening_verbatims.html" if fragment else "listening.html"
    return page(request, template, context)


@router.get("/verbatims.json")
def explorer_json(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    after: Annotated[str | None, Query(max_length=80)] = None,
) -> Any:
    """The explorer's JSON twin: one page of verbatims with findings, facets and the cursor."""
    workspace, _, filters, _ = _open(request, session, user, key)
    return jsonable_encoder(listening.explore(session, workspace, filters, after=after))


@router.get("/topics.json")
def topics_json(request: Request, key: str, session: SessionDep, user: UserDep) -> Any:
    workspace, _, filters, _ = _open(request, session, user, key)
    view = jsonable_encoder(listening_insights.topics_view(session, workspace, filters))
    # The board's ideas that would answer each topic (idea_evidence), as on the page.
    view["answering_ideas"] = jsonable_encoder(
        idea_evidence_pages.ideas_by_topic(session, workspace)
    )
    return view


@router.get("/trends.json")
def trends_json(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    grain: str | None = None,
) -> Any:
    workspace, _, filters, _ = _open(request, session, user, key)
    view = listening_insights.trends_view(
        session,
        workspace,
        filters,
        grain=listening.parse_grain(grain),
        min_group_size=settings.min_group_size,
    )
    return jsonable_encoder(view)


@router.get("/drivers.json")
def drivers_json(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    level: str = "topic",
) -> Any:
    workspace, _, filters, _ = _open(request, session, user, key)
    chosen: Level = "pillar" if level == "pillar" else "topic"
    view = listening_insights.drivers_view(
        session, workspace, filters, level=chosen, min_group_size=settings.min_group_size
    )
    return jsonable_encoder(view)


@router.get("/topics", response_class=HTMLResponse)
def topics(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role, filters, names = _open(request, session, user, key)
    target = Target("topics")
    stored = exact.lookup(session, workspace, filters, target)
    view: listening_insights.TopicsView = (
        stored.view
        if stored is not None
        else listening_insights.topics_view(session, workspace, exact.estimated(filters))
    )
    locale = locale_of(request)
    context = _common(request, session, user, workspace, role, filters, names)
    context.update(_exact(session, workspace, role, filters, target, view.estimate, stored))
    sparklines = {
        stat.topic_key: sparkline(
            [p.share_negative for p in stat.periods],
            translate(
                "listening.topics.sparkline",
                locale,
                topic=names.topic_names.get(stat.topic_key, stat.topic_key),
            ),
        )
        for stat in view.topics
    }
    months = [period_label(p, "month", locale) for p in view.periods[:1] + view.periods[-1:]]
    context.update(view=view, coverage=view.coverage, sparklines=sparklines, months=months)
    # The board's ideas that would answer each irritant (idea_evidence).
    context.update(answering_ideas=idea_evidence_pages.ideas_by_topic(session, workspace))
    context.update(_estimated(view.estimate))
    return page(request, "listening_topics.html", context)


@router.get("/trends", response_class=HTMLResponse)
def trends(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    grain: str | None = None,
) -> Response:
    workspace, role, filters, names = _open(request, session, user, key)
    size = settings.min_group_size
    target = Target("trends", grain=listening.parse_grain(grain), min_group_size=size)
    stored = exact.lookup(session, workspace, filters, target)
    view: listening_insights.TrendsView = (
        stored.view
        if stored is not None
        else listening_insights.trends_view(
            session, workspace, exact.estimated(filters), grain=target.grain, min_group_size=size
        )
    )
    locale = locale_of(request)
    context = _common(request, session, user, workspace, role, filters, names)
    context.update(_exact(session, workspace, role, filters, target, view.estimate, stored))
    context.update(
        view=view,
        coverage=view.coverage,
        extra_fields=[("grain", view.grain)],
        charts={
            s.metric: trend_chart(s, view.grain, locale, view.min_group_size) for s in view.shown
        },
        value_text=lambda metric, value: value_text(metric, value, locale),
        sources=view.sources,
        missing_names=", ".join(translate(f"listening.trends.{m}", locale) for m in view.missing),
        **_estimated(view.estimate),
    )
    return page(request, "listening_trends.html", context)


@router.get("/drivers", response_class=HTMLResponse)
def drivers(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    level: str = "topic",
) -> Response:
    workspace, role, filters, names = _open(request, session, user, key)
    chosen: Level = "pillar" if level == "pillar" else "topic"
    size = settings.min_group_size
    target = Target("drivers", level=chosen, min_group_size=size)
    stored = exact.lookup(session, workspace, filters, target)
    view: listening_insights.DriversView = (
        stored.view
        if stored is not None
        else listening_insights.drivers_view(
            session, workspace, exact.estimated(filters), level=chosen, min_group_size=size
        )
    )
    locale = locale_of(request)
    context = _common(request, session, user, workspace, role, filters, names)
    context.update(_exact(session, workspace, role, filters, target, view.estimate, stored))
    name_of = names.pillar_names if chosen == "pillar" else names.topic_names
    context.update(
        view=view,
        coverage=view.coverage,
        extra_fields=[("level", chosen)],
        driver_name=lambda key: name_of.get(key, key),
        dropped_names=", ".join(name_of.get(k, k) for k in view.analysis.dropped)
        if view.analysis
        else "",
        chart=drivers_chart(view, name_of, locale) if view.analysis else "",
        readings={d.name: driver_reading(d, view, locale) for d in view.analysis.drivers}
        if view.analysis
        else {},
        **_estimated(view.estimate),
    )
    return page(request, "listening_drivers.html", context)
