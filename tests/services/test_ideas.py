"""The idea board's use cases on both databases: post, vote, follow, comment, change status,
merge a duplicate, list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.community.statuses import StatusSpec
from cxgap.db.table_base import utcnow
from cxgap.db.tables import CommunityPerson, IdeaFollower, IdeaStatusChange, IdeaVote, Workspace
from cxgap.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from cxgap.services import idea_board, idea_statuses, ideas
from cxgap.services.community_people import anonymous_key, anonymous_person, person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_workspace


def _people(session: Session, workspace: Workspace, *emails: str) -> list[CommunityPerson]:
    return [person_by_email(session, workspace=workspace, email=e) for e in emails]


def _followers(session: Session, idea_id: int) -> set[int]:
    query = select(IdeaFollower.person_id).where(IdeaFollower.idea_id == idea_id)
    return set(session.scalars(query))


def test_the_author_votes_and_follows_and_voters_follow(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana, bob, eve = _people(
            session, ws, "ana@example.com", "Bob@Example.com ", "eve@example.com"
        )
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        assert ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob) is True
        assert ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob) is False  # once
        ideas.comment(session, workspace=ws, idea_id=idea.id, person=eve, body="Yes please")
        assert _followers(session, idea.id) == {ana.id, bob.id, eve.id}
        ideas.follow(session, workspace=ws, idea_id=idea.id, person=eve, on=False)
        (row,) = idea_board.board(session, ws)
        assert (row.id, row.status, row.votes, row.followers, row.comments) == (
            idea.id, "open", 2, 2, 1,
        )  # fmt: skip
        assert person_by_email(session, workspace=ws, email="bob@example.com").id == bob.id
        assert ideas.unvote(session, workspace=ws, idea_id=idea.id, person=bob) is True
        assert idea_board.board(session, ws)[0].votes == 1


def test_anonymous_browsers_vote_once_each(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        (ana,) = _people(session, ws, "ana@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Dark mode please")
        key = anonymous_key("secret", "browser-1")
        assert key != anonymous_key("other secret", "browser-1")
        first = anonymous_person(session, workspace=ws, key=key)
        again = anonymous_person(session, workspace=ws, key=key)
        assert first.id == again.id and first.email is None
        assert ideas.vote(session, workspace=ws, idea_id=idea.id, person=first)
        assert not ideas.vote(session, workspace=ws, idea_id=idea.id, person=again)
        assert idea_board.board(session, ws)[0].votes == 2


def test_bad_input_is_refused_and_names_the_field(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        (ana,) = _people(session, ws, "ana@example.com")
        with pytest.raises(ValidationError) as refused:
            ideas.submit_idea(session, workspace=ws, person=ana, title="  ab ")
        assert refused.value.problems[0].field == "title"
        with pytest.raises(ValidationError) as refused:
            person_by_email(session, workspace=ws, email="not an address")
        assert refused.value.problems[0].field == "email"
        with pytest.raises(NotFoundError):
            ideas.vote(session, workspace=ws, idea_id=999, person=ana)
        other = make_workspace(session, "other", "Other")
        idea = ideas.submit_idea(session, workspace=other, person=ana, title="Elsewhere idea")
        with pytest.raises(NotFoundError):  # another workspace's idea is not found here
            ideas.vote(session, workspace=ws, idea_id=idea.id, person=ana)
        ana.blocked = True
        with pytest.raises(PermissionDeniedError):
            ideas.submit_idea(session, workspace=ws, person=ana, title="Blocked person's idea")


def test_a_status_change_is_recorded_and_closed_ideas_take_no_votes(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana, bob = _people(session, ws, "ana@example.com", "bob@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        change = idea_statuses.change_status(
            session, workspace=ws, idea_id=idea.id, status="planned", message="Next quarter"
        )
        assert idea_board.board(session, ws)[0].status == "planned"
        idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="completed")
        changes = session.scalars(
            select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id)
        )
        assert [c.message for c in changes] == ["Next quarter", ""]
        assert change.from_status_id == idea_statuses.status_by_key(session, ws, "open").id
        with pytest.raises(ConflictError):
            ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob)
        with pytest.raises(ValidationError) as refused:
            idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="shipped")
        assert refused.value.problems[0].value == "shipped"
        assert "planned" in refused.value.problems[0].message
        with pytest.raises(ValidationError):  # a duplicate is merged, not just marked
            idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="duplicate")


def test_merging_a_duplicate_moves_its_voters_and_followers_once(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana, bob, eve = _people(
            session, ws, "ana@example.com", "bob@example.com", "eve@example.com"
        )
        original = ideas.submit_idea(session, workspace=ws, person=ana, title="Saturday delivery")
        copy = ideas.submit_idea(session, workspace=ws, person=bob, title="Deliver on Saturdays")
        ideas.vote(session, workspace=ws, idea_id=copy.id, person=ana)  # ana is on both
        ideas.vote(session, workspace=ws, idea_id=copy.id, person=eve)
        idea_statuses.merge_idea(session, workspace=ws, idea_id=copy.id, into_id=original.id)
        votes = session.scalars(select(IdeaVote.person_id).where(IdeaVote.idea_id == original.id))
        assert sorted(votes) == sorted([ana.id, bob.id, eve.id])
        assert _followers(session, original.id) == {ana.id, bob.id, eve.id}
        assert _followers(session, copy.id) == set()
        public = idea_board.board(session, ws)
        assert [(r.id, r.votes) for r in public] == [(original.id, 3)]
        team = {r.id: r for r in idea_board.board(session, ws, public=False)}
        assert team[copy.id].status == "duplicate" and team[copy.id].merged_into == original.id
        with pytest.raises(ValidationError):  # not into itself, nor into a merged idea
            idea_statuses.merge_idea(session, workspace=ws, idea_id=original.id, into_id=copy.id)


def test_the_board_filters_orders_and_hides_pending_ideas(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        people = _people(session, ws, *(f"p{i}@example.com" for i in range(4)))
        old = ideas.submit_idea(session, workspace=ws, person=people[0], title="Old popular idea")
        old.created_at = utcnow() - timedelta(days=60)
        for person in people[1:]:
            ideas.vote(session, workspace=ws, idea_id=old.id, person=person)
        for vote in session.scalars(select(IdeaVote).where(IdeaVote.idea_id == old.id)):
            vote.created_at = utcnow() - timedelta(days=45)
        new = ideas.submit_idea(session, workspace=ws, person=people[1], title="Fresh idea here")
        hidden = ideas.submit_idea(
            session, workspace=ws, person=people[2], title="Waiting for moderation", pending=True
        )
        session.flush()
        assert [r.id for r in idea_board.board(session, ws, order="most_voted")] == [old.id, new.id]
        assert [r.id for r in idea_board.board(session, ws)] == [new.id, old.id]  # trending
        assert hidden.id in {r.id for r in idea_board.board(session, ws, public=False)}
        idea_statuses.change_status(session, workspace=ws, idea_id=new.id, status="planned")
        assert [r.id for r in idea_board.board(session, ws, status="planned")] == [new.id]


def test_the_team_adds_a_status_once(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        row = idea_statuses.add_status(
            session, workspace=ws, spec=StatusSpec("beta", "started", "In beta", "En bêta")
        )
        keys = [s.key for s in idea_statuses.statuses_of(session, ws)]
        assert keys[-1] == "beta" and row.position == len(keys) - 1
        with pytest.raises(ConflictError):
            idea_statuses.add_status(
                session, workspace=ws, spec=StatusSpec("beta", "open", "Beta", "Bêta")
            )
