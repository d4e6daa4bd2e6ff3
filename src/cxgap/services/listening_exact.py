"""The exact figures of a broad Listening search, computed in the background and kept for
the pages (docs/scale.md, "A broad search: estimates from a page sample").

Where a search is estimated from a page sample (``services.search_estimate``), reading every
match takes 27-61 s a page at 10 M items: too long for a request. The ``exact_figures`` job
(``jobs.exact_figures``) computes each Listening page's figures under the search and its
filters, exactly, as the services compute them with ``exact``, and stores them in the
results cache, keyed by the page (with its grain or level and minimum group size) and the
filters, under the workspace's data revision and stamp (``db.listening_stamp``). A page
asked for its exact figures reads them back as the very view objects the services return
(``services.view_codec``), not recomputing anything, for as long as the data is unchanged:
any import, answer, segment change or enrichment makes them stale, and the page offers to
compute them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db import listening_queries as q
from cxgap.db.listening_stamp import data_stamp
from cxgap.db.tables import ResultsCache, Workspace
from cxgap.errors import ValidationError
from cxgap.services.flagged import resolve
from cxgap.services.listening import Choice, Filters, Grain, explorer_counts, parse_filters
from cxgap.services.listening_insights import (
    DriversView,
    Level,
    TopicsView,
    TrendsView,
    drivers_view,
    topics_view,
    trends_view,
)
from cxgap.services.view_codec import decode, encode

FORMAT = 1  # of the stored payload: another format is stale
Page = Literal["explorer", "topics", "trends", "drivers"]
PAGES: tuple[Page, ...] = ("explorer", "topics", "trends", "drivers")
PREFIX = "exact:"


@dataclass(frozen=True)
class ExplorerFigures:
    """The explorer's figures: the records kept and the counts per facet (its verbatims
    are a page of the newest, read in the request: the first fifty matches, not every one)."""

    total: int
    facets: dict[str, list[Choice]]


VIEWS: Mapping[str, type[Any]] = {
    "explorer": ExplorerFigures,
    "topics": TopicsView,
    "trends": TrendsView,
    "drivers": DriversView,
}


@dataclass(frozen=True)
class Target:
    """One page's figures: the page and what, beside the filters, its figures depend on."""

    page: Page
    grain: Grain = "month"
    level: Level = "topic"
    min_group_size: int = 0

    @property
    def name(self) -> str:
        if self.page == "trends":
            return f"trends:{self.grain}:{self.min_group_size}"
        if self.page == "drivers":
            return f"drivers:{self.level}:{self.min_group_size}"
        return self.page

    def as_dict(self) -> dict[str, object]:
        return {
            "page": self.page,
            "grain": self.grain,
            "level": self.level,
            "min_group_size": self.min_group_size,
        }

    @classmethod
    def of(cls, data: Mapping[str, object]) -> Target:
        page, grain, level = data.get("page"), data.get("grain", "month"), data.get("level")
        if page not in PAGES:
            raise ValidationError.single("page", "is not a Listening page", str(page))
        if grain not in ("month", "week"):
            raise ValidationError.single("grain", "must be month or week", str(grain))
        size = data.get("min_group_size", 0)
        return cls(
            page,
            grain,
            "pillar" if level == "pillar" else "topic",
            int(size) if isinstance(size, (int, str)) else 0,
        )


def targets_for(first: Target) -> tuple[Target, ...]:
    """The four pages' figures, the page asked from first (the others follow, with its grain,
    level and minimum group size: the tabs' links keep the exact figures)."""
    rest = tuple(replace(first, page=page) for page in PAGES if page != first.page)
    return (first, *rest)


def exact_filters(session: Session, workspace: Workspace, filters: Filters) -> Filters:
    """``filters`` read whole, with the flagged answers' reading the request resolves to (so
    the figures do not change with the workspace's choice made later)."""
    mode = resolve(session, workspace, filters.flagged)
    return replace(filters, flagged=mode, exact=True)


def filters_payload(filters: Filters) -> dict[str, object]:
    return {"values": dict(sorted(filters.values.items())), "flagged": filters.flagged}


def filters_of(payload: Mapping[str, object]) -> Filters:
    """The filters of a job's payload, validated again as a page's are."""
    values = payload.get("values")
    params = {str(k): str(v) for k, v in (values.items() if isinstance(values, dict) else ())}
    if isinstance(payload.get("flagged"), str):
        params["flagged"] = str(payload["flagged"])
    return replace(parse_filters(params), exact=True)


def digest(filters: Filters) -> str:
    """The filters' key: the same search and filters, the same key."""
    text = json.dumps(filters_payload(filters), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def cache_params(target: Target, filters: Filters) -> str:
    return f"{PREFIX}{target.name}:{digest(filters)}"


def stamp(session: Session, workspace: Workspace) -> tuple[int, str]:
    """The data revision and the stamp the figures are stored under: ``db.listening_stamp``'s
    and the taxonomy's topics (a pillar filter and the drivers' pillars are read through it)."""
    revision, data = data_stamp(session, workspace.id)
    topics = [
        (t.key, t.pillar_keys, t.touchpoint_keys) for t in q.topic_rows(session, workspace.id)
    ]
    taxonomy = hashlib.sha256(repr(topics).encode()).hexdigest()[:16]
    return revision, f"{data}|{taxonomy}"


@dataclass(frozen=True)
class StoredFigures:
    view: Any
    computed_at: datetime
    job_id: int | None


def stored(
    session: Session,
    workspace: Workspace,
    target: Target,
    filters: Filters,
    *,
    now: tuple[int, str] | None = None,
) -> StoredFigures | None:
    """The page's exact figures if they were computed on the data as it is now."""
    cached = _current(session, workspace, target, filters, now)
    if cached is None:
        return None
    job = cached.payload.get("job_id")
    view: Any = decode(VIEWS[target.page], cached.payload.get("view"))
    return StoredFigures(view, cached.computed_at, job if isinstance(job, int) else None)


def _current(
    session: Session,
    workspace: Workspace,
    target: Target,
    filters: Filters,
    now: tuple[int, str] | None,
) -> ResultsCache | None:
    cached = session.get(ResultsCache, (workspace.id, cache_params(target, filters)))
    if cached is None:
        return None
    revision, current = now or stamp(session, workspace)
    payload = cached.payload
    if cached.data_revision != revision or payload.get("stamp") != current:
        return None
    return cached if payload.get("format") == FORMAT else None


def compute(session: Session, workspace: Workspace, target: Target, filters: Filters) -> Any:
    """The page's figures, every match read (the services' own ``exact`` reading)."""
    whole = replace(filters, exact=True)
    if target.page == "explorer":
        return ExplorerFigures(*explorer_counts(session, workspace, whole))
    if target.page == "topics":
        return topics_view(session, workspace, whole)
    if target.page == "trends":
        return trends_view(
            session, workspace, whole, grain=target.grain, min_group_size=target.min_group_size
        )
    return drivers_view(
        session, workspace, whole, level=target.level, min_group_size=target.min_group_size
    )


def compute_and_store(
    session: Session,
    workspace: Workspace,
    target: Target,
    filters: Filters,
    *,
    job_id: int | None = None,
    computing: AbstractContextManager[object] | None = None,
) -> Any | None:
    """Compute the page's figures and store them, in the caller's transaction; None when
    those stored are still current (nothing computed). The stamp is read before the data,
    so figures computed while the data changed are stored under the older stamp: stale.
    ``computing``: entered while the figures are computed (the job's heartbeats), not
    while they are stored."""
    now = stamp(session, workspace)
    if _current(session, workspace, target, filters, now) is not None:
        return None
    with computing or nullcontext():
        view = compute(session, workspace, target, filters)
    payload = {
        "format": FORMAT,
        "stamp": now[1],
        "job_id": job_id,
        "view": encode(view),
    }
    params = cache_params(target, filters)
    cached = session.get(ResultsCache, (workspace.id, params))
    if cached is None:
        try:
            with session.begin_nested():
                session.add(
                    ResultsCache(
                        workspace_id=workspace.id,
                        params=params,
                        data_revision=now[0],
                        payload=payload,
                    )
                )
        except IntegrityError:
            pass  # stored at the same time by another job: theirs will do
    else:
        cached.data_revision, cached.payload = now[0], payload
        cached.computed_at = datetime.now(UTC)
    return view


def ready(
    session: Session, workspace: Workspace, targets: Iterable[Target], filters: Filters
) -> list[str]:
    """The names of the targets whose figures are stored and current."""
    now = stamp(session, workspace)
    return [t.name for t in targets if _current(session, workspace, t, filters, now)]
