"""The asker's e-mails from the help centre (``docs/community.md``): a new answer to their
question (``help_answer``), an answer the team accepted (``help_accepted``). Queued in the
community outbox (``community_notifications``) in the answer's transaction, only for an
asker with an address who is not blocked and wants e-mail about answers
(``CommunityPerson.mail_answers``); delivered with the idea e-mails
(``idea_notifications.deliver_pending``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CommunityNotification,
    CommunityPerson,
    HelpAnswer,
    HelpQuestion,
    Workspace,
)
from cxgap.errors import NotFoundError
from cxgap.mail.message import Letter, render_letter

NEW_ANSWER = "help_answer"
ACCEPTED = "help_accepted"
KINDS = (NEW_ANSWER, ACCEPTED)


def queue(
    session: Session, question: HelpQuestion, answer: HelpAnswer, *, kind: str, base_url: str = ""
) -> int:
    """One notice for the asker when they want it; how many were queued (0 or 1)."""
    asker = session.get(CommunityPerson, question.person_id) if question.person_id else None
    if asker is None or asker.email is None or asker.blocked or not asker.mail_answers:
        return 0
    session.add(
        CommunityNotification(
            workspace_id=question.workspace_id,
            person_id=asker.id,
            kind=kind,
            help_answer_id=answer.id,
            base_url=base_url.rstrip("/"),
        )
    )
    session.flush()
    return 1


def letter(session: Session, row: CommunityNotification, *, base: str, token: str) -> Letter:
    """The e-mail of a help centre notice, in the asker's language."""
    person = session.get(CommunityPerson, row.person_id)
    answer = session.get(HelpAnswer, row.help_answer_id) if row.help_answer_id else None
    question = session.get(HelpQuestion, answer.question_id) if answer else None
    workspace = session.get(Workspace, row.workspace_id)
    if person is None or person.email is None or answer is None or question is None:
        raise NotFoundError("The notice's person or answer is gone")
    if workspace is None:
        raise NotFoundError("The notice's workspace is gone")
    unsubscribe_link = f"{base}/community/unsubscribe/{token}?lang={person.language}"
    return render_letter(
        row.kind,
        to=person.email,
        locale=person.language,
        brand=workspace.name,
        title=question.title,
        answer=answer.body,
        by_team=answer.user_id is not None,
        question_link=f"{base}/community/{workspace.key}/help/questions/{question.id}"
        f"?lang={person.language}",
        preferences_link=f"{base}/community/preferences/{token}?lang={person.language}",
        optout_link=unsubscribe_link,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
