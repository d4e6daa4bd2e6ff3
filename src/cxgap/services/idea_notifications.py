"""Telling an idea's people what happened to it (``docs/community.md``, "Closing the loop").

A status change writes one outbox row (``community_notifications``) per follower who wants
e-mail about ideas, in the change's own transaction: the news and its notices are stored
together or not at all. ``deliver_pending`` sends them in batches: each batch is claimed
(committed) before it is mailed, so a resumed or concurrent sender never mails a row twice,
and rows a killed sender left claimed are reported as interrupted, not mailed again. Every
e-mail is in the person's language, with the team's message, a one-click unsubscribe link
(and RFC 8058's ``List-Unsubscribe`` headers) and a link to the person's preferences.
The help centre's notices to askers (``help_notices``) share the outbox and its delivery.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from cxgap.community.statuses import StatusSpec, check_kind
from cxgap.db.table_base import utcnow
from cxgap.db.tables import (
    CommunityNotification,
    CommunityPerson,
    Idea,
    IdeaFollower,
    IdeaStatus,
    IdeaStatusChange,
    Workspace,
)
from cxgap.errors import NotFoundError
from cxgap.mail.message import Letter, render_letter
from cxgap.mail.sender import Delivery
from cxgap.services import help_notices

BATCH = 100
STALE = timedelta(minutes=15)  # a claim older than this was left by a sender that died
IDEA_STATUS = "idea_status"


def queue_status_change(session: Session, change: IdeaStatusChange, base_url: str = "") -> int:
    """One notice per follower of the idea (author and voters follow it) who has an address,
    is not blocked and wants e-mail about ideas; how many were queued."""
    query = (
        select(CommunityPerson.id, CommunityPerson.workspace_id)
        .join(IdeaFollower, IdeaFollower.person_id == CommunityPerson.id)
        .where(
            IdeaFollower.idea_id == change.idea_id,
            CommunityPerson.email.is_not(None),
            CommunityPerson.blocked.is_(False),
            CommunityPerson.mail_ideas.is_(True),
        )
        .order_by(CommunityPerson.id)
    )
    rows = [
        CommunityNotification(
            workspace_id=workspace_id,
            person_id=person_id,
            kind=IDEA_STATUS,
            idea_id=change.idea_id,
            status_change_id=change.id,
            base_url=base_url.rstrip("/"),
        )
        for person_id, workspace_id in session.execute(query)
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def pending(session: Session, workspace_id: int | None = None) -> int:
    """Notices not sent yet and not claimed by a sender."""
    query = select(func.count()).where(
        CommunityNotification.sent_at.is_(None), CommunityNotification.claimed_at.is_(None)
    )
    if workspace_id is not None:
        query = query.where(CommunityNotification.workspace_id == workspace_id)
    return session.scalar(query) or 0


def waiting_for(session: Session, status_change_id: int) -> int:
    """How many notices a status change queued."""
    query = select(func.count()).where(CommunityNotification.status_change_id == status_change_id)
    return session.scalar(query) or 0


# --- links --------------------------------------------------------------------------------


def mail_token(secret: str, person_id: int) -> str:
    """The secret of a person's unsubscribe and preferences links: their id and its HMAC
    under the installation's key (nothing stored; a forged id fails the check)."""
    digest = hmac.digest(secret.encode(), f"community-mail:{person_id}".encode(), "sha256")
    return f"{person_id}.{base64.urlsafe_b64encode(digest[:18]).decode()}"


def person_of_token(session: Session, secret: str, token: str) -> CommunityPerson:
    """The person a link's token names, or NotFoundError for a forged or unknown one."""
    head, _, _ = token.partition(".")
    person = session.get(CommunityPerson, int(head)) if head.isdigit() else None
    if person is None or not hmac.compare_digest(mail_token(secret, person.id), token):
        raise NotFoundError("This link is not valid").keyed("community.error.bad_link")
    return person


def unsubscribe(session: Session, secret: str, token: str) -> CommunityPerson:
    """One-click unsubscribe: no more e-mail of the community to this person; the notices
    still waiting for them are dropped (marked, never sent)."""
    person = person_of_token(session, secret, token)
    person.mail_ideas = person.mail_answers = False
    session.execute(
        update(CommunityNotification)
        .where(
            CommunityNotification.person_id == person.id, CommunityNotification.sent_at.is_(None)
        )
        .where(CommunityNotification.claimed_at.is_(None))
        .values(claimed_at=utcnow(), failure="unsubscribed")
    )
    session.flush()
    return person


def set_preferences(
    session: Session, secret: str, token: str, *, ideas: bool, answers: bool
) -> CommunityPerson:
    """The person's choices on their preferences page."""
    person = person_of_token(session, secret, token)
    person.mail_ideas, person.mail_answers = ideas, answers
    session.flush()
    return person


# --- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a delivery round did: sent, refused by the server, or not sent (``skipped``:
    no address for the links, or left claimed by a sender that died)."""

    sent: int = 0
    refused: int = 0
    skipped: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(
            self.sent + other.sent, self.refused + other.refused, self.skipped + other.skipped
        )


def _recover(session: Session, now: datetime) -> int:
    """Rows claimed long ago and never marked: their sender died mid-batch. Whether their
    e-mail left is unknown, so they are reported, not sent again."""
    result = session.execute(
        update(CommunityNotification)
        .where(
            CommunityNotification.sent_at.is_(None),
            CommunityNotification.claimed_at < now - STALE,
            CommunityNotification.failure == "",
        )
        .values(failure="interrupted")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _claim(session: Session, now: datetime, limit: int) -> list[int]:
    """The next batch's ids, claimed (other senders skip them: ``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL; SQLite has one writer at a time)."""
    query = (
        select(CommunityNotification.id)
        .where(CommunityNotification.sent_at.is_(None), CommunityNotification.claimed_at.is_(None))
        .order_by(CommunityNotification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(CommunityNotification)
            .where(CommunityNotification.id.in_(ids))
            .values(claimed_at=now, attempts=CommunityNotification.attempts + 1)
        )
    return ids


def _letter(session: Session, row: CommunityNotification, secret: str, base: str) -> Letter:
    if row.kind in help_notices.KINDS:
        return help_notices.letter(session, row, base=base, token=mail_token(secret, row.person_id))
    person = session.get(CommunityPerson, row.person_id)
    idea = session.get(Idea, row.idea_id)
    change = session.get(IdeaStatusChange, row.status_change_id)
    if person is None or person.email is None or idea is None or change is None:
        raise NotFoundError("The notice's person, idea or change is gone")
    workspace = session.get(Workspace, row.workspace_id)
    status = session.get(IdeaStatus, change.to_status_id)
    if workspace is None or status is None:
        raise NotFoundError("The notice's workspace or status is gone")
    original = session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None
    spec = StatusSpec(status.key, check_kind(status.kind), status.name_en, status.name_fr)
    token = mail_token(secret, person.id)
    unsubscribe_link = f"{base}/community/unsubscribe/{token}?lang={person.language}"
    return render_letter(
        "idea_status",
        to=person.email,
        locale=person.language,
        brand=workspace.name,
        title=idea.title,
        status=spec.name(person.language),
        status_kind=spec.kind,
        message=change.message,
        original=None if original is None else original.title,
        preferences_link=f"{base}/community/preferences/{token}?lang={person.language}",
        optout_link=unsubscribe_link,
        headers={  # RFC 8058: the mail client's one-click unsubscribe posts to the link
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


Send = Callable[[list[Letter]], list[Delivery]]


def deliver_pending(
    sessions: sessionmaker[Session],
    *,
    send: Send,
    secret: str,
    public_url: str = "",
    should_stop: Callable[[], bool] = lambda: False,
    on_batch: Callable[[Outcome], None] = lambda outcome: None,
) -> Outcome:
    """Send every notice waiting now, a batch at a time, and record each one's outcome."""
    total = Outcome()
    with sessions() as session, session.begin():
        total += Outcome(skipped=_recover(session, utcnow()))
    while not should_stop():
        with sessions() as session, session.begin():
            ids = _claim(session, utcnow(), BATCH)
        if not ids:
            break
        outcome = _deliver(sessions, ids, send=send, secret=secret, public_url=public_url)
        on_batch(outcome)
        total += outcome
    return total


def _deliver(
    sessions: sessionmaker[Session], ids: list[int], *, send: Send, secret: str, public_url: str
) -> Outcome:
    letters: list[Letter] = []
    sending: list[CommunityNotification] = []
    skipped = 0
    with sessions() as session, session.begin():
        rows = session.scalars(
            select(CommunityNotification).where(CommunityNotification.id.in_(ids))
        ).all()
        for row in rows:
            base = row.base_url or public_url
            if not base:
                row.failure = "no public address for the links: set CXGAP_PUBLIC_URL"
                skipped += 1
                continue
            letters.append(_letter(session, row, secret, base))
            sending.append(row)
        session.expunge_all()
    deliveries = send(letters) if letters else []
    now = utcnow()
    with sessions() as session, session.begin():
        for row, delivery in zip(sending, deliveries, strict=True):
            values = {"sent_at": now} if delivery.ok else {"failure": delivery.reason[:200]}
            session.execute(
                update(CommunityNotification)
                .where(CommunityNotification.id == row.id)
                .values(**values)
            )
    sent = sum(d.ok for d in deliveries)
    return Outcome(sent=sent, refused=len(deliveries) - sent, skipped=skipped)
