"""A workspace's data revision counted without one hot row (``db/revisions.py``): survey
answers on the short path move it through sharded counters, the caches see each answer at
once, and on PostgreSQL two answers to one workspace no longer wait on each other."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import select, text

from cxgap.db.revisions import SHARDS, WorkspaceRevisionShard, count_answer, revision_of
from cxgap.services import campaigns, public_answers
from cxgap.services.core import Cxgap
from cxgap.services.results import results_for
from cxgap.services.workspaces import bump_revision, get_workspace
from tests.factories import customer_form, make_workspace


def _answer(token: str, client: str = "203.0.113.9") -> public_answers.NewAnswer:
    form = {k: str(v) for k, v in customer_form(comment=None, segment="pro").items()}
    return public_answers.NewAnswer(token, form, secrets.token_hex(16), client)


def _store(cx: Cxgap, token: str) -> int:
    with cx.transaction() as session:
        stored = public_answers.store_new_answer(
            session, _answer(token), secret="s", rate_limit=1000
        )
        assert stored is not None
        return stored.response_id


@pytest.fixture
def survey(cx: Cxgap) -> tuple[int, str]:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        token = campaigns.create_survey(session, workspace=workspace, key="s", name="S").token
        return workspace.id, token


def test_each_part_only_grows_so_the_revision_never_repeats(
    cx: Cxgap, survey: tuple[int, str]
) -> None:
    ws, token = survey
    seen = []
    with cx.reading() as session:
        seen.append(revision_of(session, ws))
    for step in range(SHARDS + 3):  # every shard, some twice
        if step % 4 == 3:
            with cx.transaction() as session:
                bump_revision(session, ws)  # an import, a segment change…
        else:
            _store(cx, token)
        with cx.reading() as session:
            seen.append(revision_of(session, ws))
    assert seen == sorted(set(seen))
    assert seen[-1] - seen[0] == SHARDS + 3
    with cx.reading() as session:
        rows = session.scalars(select(WorkspaceRevisionShard)).all()
        assert {r.workspace_id for r in rows} == {ws}
        assert sum(r.revision for r in rows) == SHARDS + 3 - (SHARDS + 3) // 4
        assert len(rows) > 1  # spread over several rows, not one
        assert revision_of(session, ws + 1000) == 0  # an unknown workspace


def test_results_see_an_answer_taken_on_the_short_path_at_once(
    cx: Cxgap, survey: tuple[int, str]
) -> None:
    ws, token = survey

    def answers_counted() -> int:
        with cx.transaction() as session:
            payload = results_for(session, get_workspace(session, "acme"), min_group_size=1)
            return max(p["customer_n"] for p in payload["pillars"])

    _store(cx, token)
    assert answers_counted() == 1  # computed and cached
    assert answers_counted() == 1  # served from the cache
    _store(cx, token)
    assert answers_counted() == 2  # the cache is stale at once
    with cx.reading() as session:
        assert session.scalar(text("SELECT data_revision FROM workspaces")) == (
            session.scalar(text(f"SELECT data_revision FROM results_cache WHERE workspace_id={ws}"))
            - 2
        )  # the workspace's row was not touched by either answer


def test_two_answers_to_one_workspace_do_not_wait_on_each_other(
    cx: Cxgap, survey: tuple[int, str]
) -> None:
    # PostgreSQL: an answer's count holds its shard's row lock until its commit; a second
    # answer (another response id, another shard) must not queue behind it, as every
    # answer did behind the workspace's row. SQLite has one writer at a time anyway.
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    ws, _token = survey
    with cx.engine.connect() as first, cx.engine.connect() as second:
        first.begin()
        count_answer(first, ws, 1)  # uncommitted: holds shard 1's row
        second.begin()
        second.execute(text("SET LOCAL lock_timeout = '3s'"))
        count_answer(second, ws, 2)  # would time out if it waited on the first
        second.commit()
        with cx.reading() as session:
            before = revision_of(session, ws)
        first.commit()
    with cx.reading() as session:
        assert revision_of(session, ws) == before + 1
    # The old hot row, for contrast: the same two writers on it do wait.
    bump = text(f"UPDATE workspaces SET data_revision = data_revision + 1 WHERE id={ws}")
    with cx.engine.connect() as first, cx.engine.connect() as second:
        first.begin()
        first.execute(bump)
        second.begin()
        second.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(Exception, match="lock timeout"):
            second.execute(bump)
        second.rollback()
        first.rollback()
