"""The paths report of a workspace: journeys as lived, for the pages and the API (issue 14).

One call reads the workspace's events once, as one row per case (``services.paths_compact``;
``services.paths_scan`` reads them as event objects, the reference it is checked against),
per persona, segment and journey, joins what the same customers said
(``db.customer_voice``) and returns plain JSON. The report is kept in the results cache
under its filters; it is recomputed when the workspace's data revision moved (imports,
segments) or when its *stamp* changed: the event imports, the activity mapping, the
feedback and its enrichment, and the chosen journey's revision, read in one small
statement, so a new event file or a re-run enrichment shows at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db.customer_voice import customer_voice
from cxgap.db.event_reads import activity_channels, path_events
from cxgap.db.event_tables import ActivityMapping, EventImport
from cxgap.db.feedback_tables import Feedback, TextEnrichment
from cxgap.db.journey_tables import JourneyRow
from cxgap.db.path_aggregates import case_shapes
from cxgap.db.revisions import revision_of
from cxgap.db.tables import ResultsCache, Topic, Workspace
from cxgap.errors import ValidationError
from cxgap.journeys.model import Journey
from cxgap.paths.conformance import designed_order
from cxgap.paths.sankey import top_paths
from cxgap.paths.stream import positive
from cxgap.paths.voice import CaseFeedback
from cxgap.services.journeys import get_journey, list_journeys
from cxgap.services.paths_compact import scan_shapes
from cxgap.services.paths_scan import Scanned, default_contacts, scan
from cxgap.services.segment_customers import persona_segment, segment_customers

FORMAT = 1
TOP_VARIANTS = 50  # variants listed in the report (the count of every variant is given)
TOP_EDGES = 80  # directly-follows edges listed, most frequent first
SANKEY_TOP = 10
MAX_DAYS = 3650
CACHE_PREFIX = "paths:"


@dataclass(frozen=True)
class PathsQuery:
    """What the report is about: a journey (its design; None: the workspace's first current
    journey), a persona (its segment), a segment, the repeat-contact window in days and the
    contact activities (None: those mostly on assisted channels)."""

    journey: str | None = None
    persona: str | None = None
    segment: str | None = None
    within_days: int = 7
    contacts: tuple[str, ...] | None = None

    def checked(self) -> PathsQuery:
        positive("within_days", self.within_days)
        if self.within_days > MAX_DAYS:
            raise ValidationError.single(
                "within_days", f"at most {MAX_DAYS} days", self.within_days, code="range"
            )
        return self


def design_journey(
    session: Session, workspace: Workspace, key: str | None
) -> tuple[Journey, JourneyRow] | None:
    """The journey whose map the lived paths are read against (``key``, or the first current
    journey by key); None when the workspace has no journey."""
    rows = list_journeys(session, workspace=workspace)
    if key is not None:
        row = next((r for r in rows if r.key == key), None)
        if row is None:
            get_journey(session, workspace=workspace, key=key)  # the NotFoundError
    else:
        row = next((r for r in rows if r.version == "current"), rows[0] if rows else None)
    if row is None:
        return None
    journey, _ = get_journey(session, workspace=workspace, key=row.key)
    return journey, row


def _stamp(session: Session, workspace_id: int, journey: JourneyRow | None) -> str:
    """What the report depends on beyond the data revision, in one statement."""

    def sub(*columns: Any) -> list[Any]:
        return [c.scalar_subquery() for c in columns]

    ws = workspace_id
    imports = EventImport.workspace_id == ws
    maps = ActivityMapping.workspace_id == ws
    said = Feedback.workspace_id == ws
    read = TextEnrichment.workspace_id == ws
    row = session.execute(
        select(
            *sub(
                select(func.count()).select_from(EventImport).where(imports),
                select(func.max(EventImport.id)).where(imports),
                select(func.coalesce(func.sum(EventImport.events), 0)).where(imports),
                select(func.count())
                .select_from(EventImport)
                .where(imports, EventImport.status == "done"),
                select(func.count()).select_from(ActivityMapping).where(maps),
                select(func.max(ActivityMapping.updated_at)).where(maps),
                select(func.count()).select_from(Feedback).where(said),
                select(func.max(Feedback.updated_at)).where(said),
                select(func.count()).select_from(TextEnrichment).where(read),
                select(func.max(TextEnrichment.id)).where(read),
            )
        )
    ).one()
    parts = [str(value) for value in row]
    if journey is not None:
        parts += [journey.key, str(journey.revision), str(journey.updated_at)]
    return "|".join(parts)


def _members(
    session: Session, workspace: Workspace, query: PathsQuery
) -> tuple[frozenset[str] | None, str | None]:
    """The cases kept (None: all) and the segment the persona stands for."""
    members: frozenset[str] | None = None
    persona_seg: str | None = None
    if query.persona is not None:
        persona_seg = persona_segment(session, workspace=workspace, persona=query.persona)
        members = (
            frozenset()
            if persona_seg is None
            else segment_customers(session, workspace=workspace, segment=persona_seg)
        )
    if query.segment is not None:
        chosen = segment_customers(session, workspace=workspace, segment=query.segment)
        members = chosen if members is None else members & chosen
    return members, persona_seg


def compute_paths_report(
    session: Session,
    workspace: Workspace,
    query: PathsQuery = PathsQuery(),
    *,
    by_event: bool = False,
) -> dict[str, Any]:
    """The report computed now (see ``paths_report`` for the cached one): from the cases'
    shapes (``services.paths_compact``), or with ``by_event`` from every event read as an
    object and fed to the accumulators case by case (``services.paths_scan``), the reference
    the tests and the bench compare it with."""
    query = query.checked()
    chosen = design_journey(session, workspace, query.journey)
    members, persona_seg = _members(session, workspace, query)
    contacts = query.contacts
    if contacts is None:
        contacts = default_contacts(activity_channels(session, workspace.id))
    voices = customer_voice(session, workspace.id)
    feedback = {
        ref: CaseFeedback(v.nps, v.sentiment_mean, v.negative_topics) for ref, v in voices.items()
    }
    del voices
    journey = chosen[0] if chosen else None
    design = designed_order(journey) if journey is not None else ()
    options: dict[str, Any] = {
        "feedback": feedback,
        "design": design or None,
        "members": members,
        "within_days": query.within_days,
        "contacts": contacts,
        "top": SANKEY_TOP,
    }
    if by_event:
        scanned = scan(path_events(session, workspace.id), **options)
    else:
        codes, rows = case_shapes(session, workspace.id, members)
        scanned = scan_shapes(rows, codes, **options)
    return _report(workspace, query, journey, design, contacts, persona_seg, scanned)


def _report(
    workspace: Workspace,
    query: PathsQuery,
    journey: Journey | None,
    design: Sequence[str],
    contacts: Sequence[str],
    persona_seg: str | None,
    scanned: Scanned,
) -> dict[str, Any]:
    variants = scanned.variants
    graph = scanned.graph.as_json()
    edges: list[Any] = list(graph["edges"])  # type: ignore[call-overload]
    graph["edges_total"] = len(edges)
    graph["edges"] = edges[:TOP_EDGES]
    listed = variants.as_json()
    listed["variants"] = listed["variants"][:TOP_VARIANTS]  # type: ignore[index]
    names = {} if journey is None else {tp.key: asdict(tp.name) for tp in journey.touchpoints}
    return {
        "format": FORMAT,
        "workspace": workspace.key,
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filters": {
            "journey": None if journey is None else journey.key,
            "persona": query.persona,
            "persona_segment": persona_seg,
            "segment": query.segment,
            "within_days": query.within_days,
            "contacts": list(contacts),
        },
        "journey": None
        if journey is None
        else {"key": journey.key, "name": asdict(journey.name), "touchpoints": list(design)},
        "touchpoint_names": names,
        "cases": variants.cases,
        "events": variants.events,
        "answered_cases": scanned.answered_cases,
        "distinct_variants": len(variants.variants),
        "variants": listed["variants"],
        "sankey": top_paths(variants, top=SANKEY_TOP).as_json(),
        "graph": graph,
        "funnel": None if scanned.funnel is None else scanned.funnel.as_json(),
        "repeat_contacts": scanned.repeats.as_json(),
        "channel_switches": scanned.switches.as_json(),
        "rework": scanned.rework.as_json(),
        "voice": scanned.voice.as_json(),
        "conformance": None if scanned.conformance is None else scanned.conformance.as_json(),
        "lane": None if scanned.lane is None else scanned.lane.as_json(),
    }


def _params(query: PathsQuery) -> str:
    text = json.dumps(asdict(query), sort_keys=True, ensure_ascii=True)
    return CACHE_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:40]


def paths_report(
    session: Session, workspace: Workspace, query: PathsQuery = PathsQuery()
) -> dict[str, Any]:
    """The report, from the results cache when nothing it depends on changed since."""
    query = query.checked()
    chosen = design_journey(session, workspace, query.journey)
    revision = revision_of(session, workspace.id)  # read before the data it is stored with
    stamp = _stamp(session, workspace.id, chosen[1] if chosen else None)
    params = _params(query)
    cached = session.get(ResultsCache, (workspace.id, params))
    if cached is not None and cached.data_revision == revision:
        stored = cached.payload
        if stored.get("format") == FORMAT and stored.get("stamp") == stamp:
            return {k: v for k, v in stored.items() if k != "stamp"}
    report = compute_paths_report(session, workspace, query)
    payload = {**report, "stamp": stamp}
    if cached is None:
        try:
            with session.begin_nested():
                session.add(
                    ResultsCache(
                        workspace_id=workspace.id,
                        params=params,
                        data_revision=revision,
                        payload=payload,
                    )
                )
        except IntegrityError:
            pass  # a concurrent request stored it first: theirs will do
    else:
        cached.data_revision, cached.payload = revision, payload
        cached.computed_at = datetime.now(UTC)
    return report


def topic_names(session: Session, workspace: Workspace) -> dict[str, tuple[str, str]]:
    """Each topic key of the workspace with its (English, French) names, for the irritants."""
    rows = session.execute(
        select(Topic.key, Topic.name_en, Topic.name_fr).where(Topic.workspace_id == workspace.id)
    )
    return {str(key): (str(en), str(fr)) for key, en, fr in rows}
