"""Who owns what (seed 001, "no silos"): the teams owning each pillar and each journey
touchpoint key of a workspace. Read by the ownership page, the API and ``cxgap owners``, and
by the worsening alerts and team digests (services/ownership_watch.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from cxgap.db import listening_queries as q
from cxgap.db.tables import Ownership, Team, TeamMember, User, Workspace
from cxgap.errors import ValidationError
from cxgap.services.case_people import team_by_key
from cxgap.services.journeys import list_journeys
from cxgap.services.teams import create_team
from cxgap.services.workspaces import pillars_of

SUBJECT_KINDS = ("pillar", "touchpoint")


@dataclass(frozen=True)
class OwnedSubject:
    """A pillar or a touchpoint key, its names, and the keys of the teams owning it."""

    kind: str
    key: str
    name_en: str
    name_fr: str
    teams: tuple[str, ...] = ()

    def name(self, locale: str) -> str:
        return self.name_fr if locale == "fr" else self.name_en


@dataclass(frozen=True)
class StageGroup:
    """A journey's stage and the touchpoints in it, as the ownership page groups them."""

    journey_key: str
    journey_en: str
    journey_fr: str
    stage_en: str
    stage_fr: str
    touchpoints: tuple[OwnedSubject, ...] = field(default_factory=tuple)


def owners_by_subject(session: Session, workspace: Workspace) -> dict[tuple[str, str], list[str]]:
    """(kind, key) → the owning teams' keys, sorted."""
    rows = session.execute(
        select(Ownership.subject_kind, Ownership.subject_key, Team.key)
        .join(Team, Team.id == Ownership.team_id)
        .where(Ownership.workspace_id == workspace.id)
        .order_by(Team.key)
    )
    owners: dict[tuple[str, str], list[str]] = {}
    for kind, key, team in rows:
        owners.setdefault((kind, key), []).append(team)
    return owners


def subject_names(session: Session, workspace: Workspace) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, key) → (English name, French name) of every pillar and touchpoint key."""
    names = {("pillar", p.key): (p.name_en, p.name_fr) for p in pillars_of(session, workspace)}
    for key, (en, fr) in q.touchpoint_names(session, workspace.id).items():
        names[("touchpoint", key)] = (en, fr)
    return names


def owned_subjects(session: Session, workspace: Workspace) -> list[OwnedSubject]:
    """Every pillar and touchpoint key with its owners (pillars first, in their order)."""
    owners = owners_by_subject(session, workspace)
    return [
        OwnedSubject(kind, key, en, fr, tuple(owners.get((kind, key), ())))
        for (kind, key), (en, fr) in subject_names(session, workspace).items()
    ]


def stage_groups(session: Session, workspace: Workspace) -> list[StageGroup]:
    """The touchpoints grouped by journey and stage, with their owners."""
    owners = owners_by_subject(session, workspace)
    groups = []
    for journey in list_journeys(session, workspace=workspace):
        for stage in journey.stages:
            touchpoints = tuple(
                OwnedSubject(
                    "touchpoint",
                    t.key,
                    t.name_en,
                    t.name_fr,
                    tuple(owners.get(("touchpoint", t.key), ())),
                )
                for t in stage.touchpoints
            )
            groups.append(
                StageGroup(
                    journey.key,
                    journey.name_en,
                    journey.name_fr,
                    stage.name_en,
                    stage.name_fr,
                    touchpoints,
                )
            )
    return groups


def check_subject(session: Session, workspace: Workspace, kind: str, key: str) -> tuple[str, str]:
    """The subject's names; refuses an unknown kind or key, naming it."""
    if kind not in SUBJECT_KINDS:
        message = f"must be one of {', '.join(SUBJECT_KINDS)}"
        params: dict[str, object] = {"allowed": SUBJECT_KINDS}
        raise ValidationError.single("kind", message, kind, code="choice", params=params)
    names = subject_names(session, workspace).get((kind, key.strip()))
    if names is None:
        raise ValidationError.single(kind, f"no such {kind} in this workspace", key, code="choice")
    return names


def set_owners(
    session: Session, *, workspace: Workspace, kind: str, key: str, team_keys: Sequence[str]
) -> list[str]:
    """Make these teams (and only them) the subject's owners; returns their keys."""
    check_subject(session, workspace, kind, key)
    wanted = {team_by_key(session, workspace.id, t).id: t.strip() for t in team_keys}
    rows = session.scalars(_rows(workspace, kind, key.strip()))
    for row in rows:
        if row.team_id in wanted:
            wanted.pop(row.team_id)
        else:
            session.delete(row)
    session.add_all(
        Ownership(workspace_id=workspace.id, subject_kind=kind, subject_key=key.strip(), team_id=t)
        for t in sorted(wanted)
    )
    session.flush()
    return owners_by_subject(session, workspace).get((kind, key.strip()), [])


def add_owners(
    session: Session, *, workspace: Workspace, kind: str, key: str, team_keys: Sequence[str]
) -> list[str]:
    """Add these teams to the subject's owners (those already owning it stay)."""
    current = owners_by_subject(session, workspace).get((kind, key.strip()), [])
    return set_owners(
        session, workspace=workspace, kind=kind, key=key, team_keys=[*current, *team_keys]
    )


def remove_owners(
    session: Session, *, workspace: Workspace, kind: str, key: str, team_keys: Sequence[str] = ()
) -> list[str]:
    """Remove these teams from the subject's owners (all of them when none is named)."""
    check_subject(session, workspace, kind, key)
    ids = [team_by_key(session, workspace.id, t).id for t in team_keys]
    statement = delete(Ownership).where(
        Ownership.workspace_id == workspace.id,
        Ownership.subject_kind == kind,
        Ownership.subject_key == key.strip(),
    )
    if ids:
        statement = statement.where(Ownership.team_id.in_(ids))
    session.execute(statement.execution_options(synchronize_session=False))
    session.flush()
    return owners_by_subject(session, workspace).get((kind, key.strip()), [])


def team_subjects(session: Session, team: Team) -> list[tuple[str, str]]:
    """The (kind, key) a team owns."""
    rows = session.execute(
        select(Ownership.subject_kind, Ownership.subject_key)
        .where(Ownership.team_id == team.id)
        .order_by(Ownership.subject_kind, Ownership.subject_key)
    )
    return [(kind, key) for kind, key in rows]


def team_recipients(session: Session, team_ids: Sequence[int]) -> list[User]:
    """The members of these teams (each once), who are told."""
    query = (
        select(User)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id.in_(list(team_ids)))
        .distinct()
        .order_by(User.email)
    )
    return list(session.scalars(query))


def _rows(workspace: Workspace, kind: str, key: str) -> Select[Ownership]:
    return select(Ownership).where(
        Ownership.workspace_id == workspace.id,
        Ownership.subject_kind == kind,
        Ownership.subject_key == key,
    )


def subject_json(s: OwnedSubject) -> dict[str, object]:
    return {
        "kind": s.kind,
        "key": s.key,
        "name_en": s.name_en,
        "name_fr": s.name_fr,
        "teams": list(s.teams),
    }


# The demo's owners: customer care owns the service pillar and the after-sales moments,
# logistics the delivery, the web team the digital pillar and the site (services/demo.py).
DEMO_TEAMS = (("logistics", "Logistics"), ("web", "Web team"))
DEMO_OWNERS = (
    ("pillar", "service", "care"),
    ("pillar", "friction", "care"),
    ("pillar", "digital", "web"),
    ("touchpoint", "website", "web"),
    ("touchpoint", "order", "web"),
    ("touchpoint", "slot-sms", "logistics"),
    ("touchpoint", "delivery", "logistics"),
    ("touchpoint", "assembly", "logistics"),
    ("touchpoint", "after-sales", "care"),
)


def add_demo_owners(session: Session, *, workspace: Workspace) -> None:
    """The demo's teams own its pillars and touchpoints (after its cases made the care team)."""
    for key, name in DEMO_TEAMS:
        create_team(session, workspace=workspace, key=key, name=name)
    known = subject_names(session, workspace)
    for kind, key, team in DEMO_OWNERS:
        if (kind, key) in known:
            add_owners(session, workspace=workspace, kind=kind, key=key, team_keys=[team])
