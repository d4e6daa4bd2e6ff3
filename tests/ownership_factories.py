"""A workspace whose delivery touchpoint got worse this week and whose digital pillar did not:
teams, a journey, owners, and dated, enriched feedback (tests of ownership alerts and
digests, and the ownership screenshots)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import JourneyRow, JourneyStageRow, JourneyTouchpointRow, User, Workspace
from cxgap.services import ownership, teams
from tests.factories import make_user, make_workspace
from tests.listening_factories import Verbatim, add_feedback, enrich, make_topics

# The alert run of "now": its window is 2026-11-26 … 2026-12-02, its baseline the 28 days before.
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
GOOD = "The sofa arrived two days early"
BAD = "The delivery took three weeks, call me on jane.doe@example.com"
SITE_GOOD = "The configurator is easy to use"
SITE_BAD = "The app crashed at checkout"


def _verbatim(text: str, score: float, topic: str, language: str = "en") -> Verbatim:
    label = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
    return Verbatim(text, language, [(0, len(text), label, score, abs(score), topic)])


def _journey(session: Session, workspace: Workspace) -> None:
    journey = JourneyRow(
        workspace_id=workspace.id,
        key="buy",
        name_en="Buying a sofa",
        name_fr="Acheter un canapé",
        version="current",
    )
    stage = JourneyStageRow(
        key="receive", name_en="Receiving it", name_fr="La réception", phase="after", position=0
    )
    for position, (key, en, fr) in enumerate(
        (("delivery", "Delivery", "Livraison"), ("assembly", "Assembly", "Montage"))
    ):
        stage.touchpoints.append(
            JourneyTouchpointRow(
                key=key,
                name_en=en,
                name_fr=fr,
                channel="in_person",
                digital=False,
                position=position,
            )
        )
    journey.stages.append(stage)
    session.add(journey)
    session.flush()


def _spread(
    session: Session,
    workspace: Workspace,
    *,
    days: tuple[float, float],
    count: int,
    bad_every: tuple[int, int],
    good: Verbatim,
    bad: Verbatim,
    touchpoint: str | None,
    now: datetime,
) -> None:
    """``count`` items evenly spread over ``days`` ago; ``bad_every`` (k, m): k of every m
    are the bad verbatim, interleaved so that any stretch of days has the same share."""
    enrich(session, workspace, good, counts=False)
    enrich(session, workspace, bad, counts=False)
    first, last = days
    for i in range(count):
        at = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=first + (last - first) * i / count
        )
        is_bad = i % bad_every[1] < bad_every[0]
        add_feedback(
            session,
            workspace,
            (bad if is_bad else good).text,
            collected_at=at,
            touchpoint=touchpoint,
            source_id=f"{touchpoint}-{first}-{i}",
            nps=i % 6 if is_bad else 8 + i % 3,
            counts=False,
        )


def worsened_workspace(session: Session, now: datetime = NOW) -> Workspace:
    """Acme: teams logistics (lea, French; sam, English) and web (ana); delivery owned by
    logistics, the digital pillar by web. Delivery: 10 % negative in the baseline, 70 % this
    week; the website: 20 % negative throughout."""
    workspace = make_workspace(session)
    make_topics(session, workspace)
    _journey(session, workspace)
    for email, locale in (
        ("lea@example.com", "fr"),
        ("sam@example.com", "en"),
        ("ana@example.com", "en"),
    ):
        make_user(session, email, workspace=workspace)
        user = session.scalars(select(User).where(User.email == email)).one()
        user.locale = locale
    teams.create_team(session, workspace=workspace, key="logistics", name="Logistique")
    teams.set_team_members(
        session,
        workspace=workspace,
        team_key="logistics",
        emails=["lea@example.com", "sam@example.com"],
    )
    teams.create_team(session, workspace=workspace, key="web", name="Web")
    teams.set_team_members(session, workspace=workspace, team_key="web", emails=["ana@example.com"])
    ownership.set_owners(
        session, workspace=workspace, kind="touchpoint", key="delivery", team_keys=["logistics"]
    )
    ownership.set_owners(
        session, workspace=workspace, kind="pillar", key="digital", team_keys=["web"]
    )
    good, bad = _verbatim(GOOD, 0.7, "delivery"), _verbatim(BAD, -0.8, "delivery")
    for days, count, bad_every in (((7.01, 34.99), 160, (1, 10)), ((0.01, 6.99), 50, (7, 10))):
        _spread(
            session,
            workspace,
            days=days,
            count=count,
            bad_every=bad_every,
            good=good,
            bad=bad,
            touchpoint="delivery",
            now=now,
        )
    site_good, site_bad = _verbatim(SITE_GOOD, 0.6, "website"), _verbatim(SITE_BAD, -0.7, "website")
    for days, count in (((7.01, 34.99), 120), ((0.01, 6.99), 40)):
        _spread(
            session,
            workspace,
            days=days,
            count=count,
            bad_every=(1, 5),
            good=site_good,
            bad=site_bad,
            touchpoint=None,
            now=now,
        )
    return workspace
