"""Power users and badges of a workspace's community (``docs/community.md``): each person's
contribution counted from the board (and the help centre once it has answers), their score
and level, the leaderboard, and the badges awarded or revoked by the ``badges`` job."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.community.badges import DEFAULT_BADGES, BadgeSpec, copies_earned, parse_rule
from cxgap.community.reputation import DEFAULT_LEVELS, Contribution, Level, level_of, score
from cxgap.db.table_base import utcnow
from cxgap.db.tables import (
    BadgeAward,
    BadgeDefinition,
    CommunityLevel,
    CommunityPerson,
    Idea,
    IdeaStatus,
    IdeaVote,
    Workspace,
)
from cxgap.services.help_contributions import help_counts

# The sources of contribution, each adding its counts to the people of a workspace: the
# board here, the help centre in ``help_contributions``.
Counter = Callable[[Session, Workspace, dict[int, Contribution]], None]
COUNTERS: list[Counter] = []


def _idea_counts(session: Session, workspace: Workspace, found: dict[int, Contribution]) -> None:
    authored = select(Idea.author_id, func.count()).where(
        Idea.workspace_id == workspace.id,
        Idea.author_id.is_not(None),
        Idea.moderation == "approved",
    )
    for person_id, count in session.execute(authored.group_by(Idea.author_id)):
        if person_id is not None:
            found[person_id] = replace(found[person_id], ideas=count)
    built = (
        authored.join(IdeaStatus, IdeaStatus.id == Idea.status_id)
        .where(IdeaStatus.kind == "completed")
        .group_by(Idea.author_id)
    )
    for person_id, count in session.execute(built):
        if person_id is not None:
            found[person_id] = replace(found[person_id], ideas_built=count)
    votes = (
        select(Idea.author_id, func.count())
        .join(IdeaVote, IdeaVote.idea_id == Idea.id)
        .where(Idea.workspace_id == workspace.id, IdeaVote.person_id != Idea.author_id)
        .group_by(Idea.author_id)
    )
    for person_id, count in session.execute(votes):
        if person_id is not None:
            found[person_id] = replace(found[person_id], votes_received=count)


COUNTERS.extend((_idea_counts, help_counts))


def contributions(
    session: Session, workspace: Workspace, now: datetime | None = None
) -> dict[int, Contribution]:
    """Every person of the workspace's community (blocked ones left out) and what they gave."""
    moment = now or utcnow()
    people = session.execute(
        select(CommunityPerson.id, CommunityPerson.created_at).where(
            CommunityPerson.workspace_id == workspace.id, CommunityPerson.blocked.is_(False)
        )
    ).all()
    found: dict[int, Contribution] = defaultdict(Contribution)
    for person_id, joined in people:
        found[person_id] = Contribution(tenure_days=max((moment - joined).days, 0))
    for count in COUNTERS:
        count(session, workspace, found)
    return {pid: c for pid, c in found.items() if pid in {p for p, _ in people}}


def levels_of(session: Session, workspace: Workspace) -> list[Level]:
    """The workspace's levels by threshold; the defaults are stored on first use."""
    query = select(CommunityLevel).where(CommunityLevel.workspace_id == workspace.id)
    rows = list(session.scalars(query.order_by(CommunityLevel.threshold)))
    if not rows:
        for level in DEFAULT_LEVELS:
            session.add(
                CommunityLevel(
                    workspace_id=workspace.id,
                    key=level.key,
                    name_en=level.name_en,
                    name_fr=level.name_fr,
                    threshold=level.threshold,
                )
            )
        session.flush()
        rows = list(session.scalars(query.order_by(CommunityLevel.threshold)))
    return [Level(r.key, r.name_en, r.name_fr, r.threshold) for r in rows]


def badges_of(session: Session, workspace: Workspace) -> list[BadgeDefinition]:
    """The workspace's badges; the defaults are stored on first use."""
    query = select(BadgeDefinition).where(BadgeDefinition.workspace_id == workspace.id)
    rows = list(session.scalars(query.order_by(BadgeDefinition.id)))
    if not rows:
        session.add_all(_definition(workspace, spec) for spec in DEFAULT_BADGES)
        session.flush()
        rows = list(session.scalars(query.order_by(BadgeDefinition.id)))
    return rows


def _definition(workspace: Workspace, spec: BadgeSpec) -> BadgeDefinition:
    return BadgeDefinition(
        workspace_id=workspace.id,
        key=spec.key,
        name_en=spec.name_en,
        name_fr=spec.name_fr,
        description_en=spec.description_en,
        description_fr=spec.description_fr,
        image=spec.image,
        rule=spec.rule.text,
        repeatable=spec.repeatable,
        active=True,
    )


def spec_of(row: BadgeDefinition) -> BadgeSpec:
    return BadgeSpec(
        row.key,
        row.name_en,
        row.name_fr,
        row.description_en,
        row.description_fr,
        row.image,
        parse_rule(row.rule),
        row.repeatable,
    )


@dataclass(frozen=True)
class AwardOutcome:
    awarded: int
    revoked: int


def award_badges(
    session: Session, workspace: Workspace, now: datetime | None = None
) -> AwardOutcome:
    """Bring every person's badges in line with their contribution: copies earned and not
    held are awarded, copies held and no longer earned (the last ones first) revoked."""
    moment = now or utcnow()
    people = contributions(session, workspace, moment)
    awarded = revoked = 0
    for row in badges_of(session, workspace):
        spec = spec_of(row)
        held = _held(session, row.id)
        for person_id, contribution in people.items():
            earned = copies_earned(spec, contribution) if row.active else 0
            copies = held.get(person_id, [])
            for number in range(len(copies) + 1, earned + 1):
                session.add(
                    BadgeAward(badge_id=row.id, person_id=person_id, copy=number, awarded_at=moment)
                )
                awarded += 1
            for award in copies[earned:]:
                award.revoked_at = moment
                revoked += 1
    session.flush()
    holders = select(BadgeAward.person_id).where(BadgeAward.revoked_at.is_(None))
    unnamed = select(CommunityPerson).where(
        CommunityPerson.workspace_id == workspace.id,
        CommunityPerson.public_slug.is_(None),
        CommunityPerson.id.in_(holders),
    )
    for person in session.scalars(unnamed):  # a badge page to share once there is a badge
        public_slug(session, person)
    return AwardOutcome(awarded, revoked)


def _held(session: Session, badge_id: int) -> dict[int, list[BadgeAward]]:
    query = (
        select(BadgeAward)
        .where(BadgeAward.badge_id == badge_id, BadgeAward.revoked_at.is_(None))
        .order_by(BadgeAward.person_id, BadgeAward.copy)
    )
    held: dict[int, list[BadgeAward]] = defaultdict(list)
    for award in session.scalars(query):
        held[award.person_id].append(award)
    return held


@dataclass(frozen=True)
class Standing:
    """A person as the leaderboard and their badge page show them."""

    person_id: int
    display_name: str
    score: int
    level: Level
    badges: tuple[tuple[BadgeSpec, int], ...]  # each badge held and its copies


def standings(
    session: Session, workspace: Workspace, person_ids: Iterable[int] | None = None
) -> list[Standing]:
    """People with their score, level and badges, best score first."""
    levels = levels_of(session, workspace)
    people = contributions(session, workspace)
    wanted = set(people) if person_ids is None else set(person_ids) & set(people)
    held: dict[int, list[tuple[BadgeSpec, int]]] = defaultdict(list)
    for row in badges_of(session, workspace):
        for person_id, copies in _held(session, row.id).items():
            if person_id in wanted and copies:
                held[person_id].append((spec_of(row), len(copies)))
    names = dict(
        session.execute(
            select(CommunityPerson.id, CommunityPerson.display_name).where(
                CommunityPerson.id.in_(wanted)
            )
        ).all()
    )
    found = [
        Standing(
            pid,
            names.get(pid, ""),
            score(people[pid]),
            level_of(score(people[pid]), levels),
            tuple(held[pid]),
        )
        for pid in wanted
    ]
    found.sort(key=lambda s: (-s.score, s.person_id))
    return found


def public_slug(session: Session, person: CommunityPerson) -> str:
    """The person's badge page address, made on first use (random, unguessable)."""
    if person.public_slug is None:
        person.public_slug = secrets.token_urlsafe(12)
        session.flush()
    return person.public_slug
