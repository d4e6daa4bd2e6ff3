"""What a person gave the help centre, for their reputation and badges
(``services/community_reputation.py``): answers, answers accepted, helpful votes received on
their answers (their own votes left out), and the distinct customers they answered."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from cxgap.community.reputation import Contribution
from cxgap.db.tables import HelpAnswer, HelpAnswerVote, HelpQuestion, Workspace


def help_counts(session: Session, workspace: Workspace, found: dict[int, Contribution]) -> None:
    mine = (
        select(HelpAnswer.person_id)
        .join(HelpQuestion, HelpQuestion.id == HelpAnswer.question_id)
        .where(HelpQuestion.workspace_id == workspace.id, HelpAnswer.person_id.is_not(None))
        .group_by(HelpAnswer.person_id)
    )
    answers = mine.add_columns(func.count())
    accepted = mine.add_columns(
        func.count().filter(HelpQuestion.accepted_answer_id == HelpAnswer.id)
    )
    helped = mine.add_columns(func.count(distinct(HelpQuestion.person_id))).where(
        HelpQuestion.person_id != HelpAnswer.person_id
    )
    helpful = (
        select(HelpAnswer.person_id, func.count())
        .join(HelpQuestion, HelpQuestion.id == HelpAnswer.question_id)
        .join(HelpAnswerVote, HelpAnswerVote.answer_id == HelpAnswer.id)
        .where(HelpQuestion.workspace_id == workspace.id, HelpAnswer.person_id.is_not(None))
        .where(HelpAnswerVote.person_id != HelpAnswer.person_id)
        .group_by(HelpAnswer.person_id)
    )
    for field, query in (
        ("answers", answers),
        ("accepted_answers", accepted),
        ("customers_helped", helped),
        ("helpful_votes", helpful),
    ):
        for person_id, count in session.execute(query):
            if person_id in found:
                found[person_id] = replace(found[person_id], **{field: int(count)})
