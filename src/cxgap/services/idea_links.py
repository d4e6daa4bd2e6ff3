"""An idea of the board linked to what the team does about it: an action plan (by its id) or
a customer's case (by its number, as the cases pages show it) of the same workspace
(``docs/community.md``). The idea's team page shows the plans' status and progress and the
cases' state; the action and case pages show the ideas they answer, with their votes.

When a linked plan is done and the idea is still on its way (open, planned, started), the
idea's page *suggests* moving it to a status of kind ``completed``: the team decides, since
a plan done does not always mean the idea is built, and the voters are e-mailed on a move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import ActionRow, CaseRow, Idea, IdeaLink, IdeaStatus, IdeaVote, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.services import action_gaps, action_plans
from cxgap.services import cases as case_service
from cxgap.services.action_plans import By
from cxgap.services.idea_statuses import idea_of, statuses_of

Kind = Literal["action_plan", "case"]
KINDS: tuple[Kind, ...] = ("action_plan", "case")
# An idea in one of these kinds may still be completed by a plan that is done.
ON_ITS_WAY = frozenset({"open", "planned", "started"})


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        allowed = ", ".join(KINDS)
        problem = FieldProblem(
            "kind", f"must be one of {allowed}", kind, code="choice_of", params={"allowed": allowed}
        )
        raise ValidationError([problem], summary="Unknown link")
    return kind


def _not_here(kind: Kind, target: int, workspace: Workspace) -> ValidationError:
    """The same answer for a plan or case that does not exist and for another workspace's:
    the link would cross workspaces, and ids of elsewhere are not confirmed."""
    field = "plan" if kind == "action_plan" else "case"
    what = "an action plan" if kind == "action_plan" else "a case"
    problem = FieldProblem(
        field,
        f"is not {what} of workspace {workspace.key!r}",
        target,
        code=f"idea_link_no_{field}",
        params={"workspace": workspace.key},
    )
    return ValidationError([problem], summary="Link refused")


def _action(session: Session, workspace: Workspace, action_id: int) -> ActionRow:
    row = session.get(ActionRow, action_id)
    if row is None or row.workspace_id != workspace.id:
        raise _not_here("action_plan", action_id, workspace)
    return row


def _case(session: Session, workspace: Workspace, number: int) -> CaseRow:
    query = select(CaseRow).where(CaseRow.workspace_id == workspace.id, CaseRow.number == number)
    row = session.scalars(query).first()
    if row is None:
        raise _not_here("case", number, workspace)
    return row


def _existing(session: Session, idea: Idea, kind: Kind, target_id: int) -> IdeaLink | None:
    column = IdeaLink.action_id if kind == "action_plan" else IdeaLink.case_id
    query = select(IdeaLink).where(IdeaLink.idea_id == idea.id, column == target_id)
    return session.scalars(query).first()


def _target_id(session: Session, workspace: Workspace, kind: Kind, target: int) -> int:
    if kind == "action_plan":
        return _action(session, workspace, target).id
    return _case(session, workspace, target).id


def link(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    kind: str,
    target: int,
    user_id: int | None = None,
) -> IdeaLink:
    """Link the idea to the plan ``target`` (its id) or the case ``target`` (its number).
    Both must be the workspace's (422 naming the field otherwise); linking twice is a 409."""
    checked = check_kind(kind)
    idea = idea_of(session, workspace, idea_id)
    target_id = _target_id(session, workspace, checked, target)
    if _existing(session, idea, checked, target_id) is not None:
        raise ConflictError(f"Idea {idea.id} is already linked to {checked} {target}").keyed(
            f"idea_links.error.already_{checked}", id=idea.id, target=target
        )
    row = IdeaLink(
        workspace_id=workspace.id,
        idea_id=idea.id,
        target_kind=checked,
        action_id=target_id if checked == "action_plan" else None,
        case_id=target_id if checked == "case" else None,
        created_by_id=user_id,
    )
    session.add(row)
    session.flush()
    _audit(session, workspace, audit.Action.IDEA_LINKED, idea, checked, target, user_id)
    return row


def _audit(
    session: Session,
    workspace: Workspace,
    what: audit.Action,
    idea: Idea,
    kind: Kind,
    target: int,
    user_id: int | None,
) -> None:
    """Who linked or unlinked what (the audit log; ids only)."""
    audit.record(
        session, actor=None if user_id is None else By(user_id), action=what,
        workspace=workspace, target=audit.Target("idea", idea.id),
        details={kind: target},  # action_plan: its id, or case: its number
    )  # fmt: skip


def unlink(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    kind: str,
    target: int,
    user_id: int | None = None,
) -> None:
    """Remove the link; 404 when there was none."""
    checked = check_kind(kind)
    idea = idea_of(session, workspace, idea_id)
    found = _existing(session, idea, checked, _target_id(session, workspace, checked, target))
    if found is None:
        raise NotFoundError(f"Idea {idea.id} is not linked to {checked} {target}").keyed(
            f"idea_links.error.not_linked_{checked}", id=idea.id, target=target
        )
    session.execute(delete(IdeaLink).where(IdeaLink.id == found.id))
    session.flush()
    _audit(session, workspace, audit.Action.IDEA_UNLINKED, idea, checked, target, user_id)


@dataclass(frozen=True)
class LinkedPlan:
    id: int
    title: str
    status: str  # not_started | in_progress | on_hold | done | cancelled
    progress: int
    due_date: date | None
    late: bool
    linked_at: datetime

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "action_plan", "id": self.id, "title": self.title, "status": self.status,
            "progress": self.progress, "late": self.late,
            "due_date": None if self.due_date is None else self.due_date.isoformat(),
            "linked_at": self.linked_at.isoformat(),
        }  # fmt: skip


@dataclass(frozen=True)
class LinkedCase:
    number: int
    subject: str
    status: str  # new | open | pending_customer | resolved | closed
    priority: str
    linked_at: datetime

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "case", "number": self.number, "subject": self.subject,
            "status": self.status, "priority": self.priority,
            "linked_at": self.linked_at.isoformat(),
        }  # fmt: skip


@dataclass(frozen=True)
class IdeaLinks:
    """What an idea is linked to, and whether moving it to ``suggest_status`` is suggested."""

    idea_id: int
    plans: list[LinkedPlan]
    cases: list[LinkedCase]
    suggest_status: str | None  # a status key of kind completed, or None
    plans_done: list[str]  # the titles of the linked plans that are done

    def as_json(self) -> dict[str, object]:
        return {
            "idea": self.idea_id,
            "plans": [p.as_json() for p in self.plans],
            "cases": [c.as_json() for c in self.cases],
            "suggest_status": self.suggest_status,
        }


def links_of(session: Session, workspace: Workspace, idea_id: int) -> IdeaLinks:
    """The plans and cases the idea is linked to (oldest link first)."""
    idea = idea_of(session, workspace, idea_id)
    today = action_gaps.today_of(session, workspace)
    plans = [
        LinkedPlan(
            a.id, a.title, a.status, a.progress, a.due_date, action_gaps.is_late(a, today), at
        )
        for a, at in session.execute(
            select(ActionRow, IdeaLink.created_at)
            .join(IdeaLink, IdeaLink.action_id == ActionRow.id)
            .where(IdeaLink.idea_id == idea.id)
            .order_by(IdeaLink.created_at, IdeaLink.id)
        )
    ]
    cases = [
        LinkedCase(c.number, c.subject, c.status, c.priority, at)
        for c, at in session.execute(
            select(CaseRow, IdeaLink.created_at)
            .join(IdeaLink, IdeaLink.case_id == CaseRow.id)
            .where(IdeaLink.idea_id == idea.id)
            .order_by(IdeaLink.created_at, IdeaLink.id)
        )
    ]
    done = [p.title for p in plans if p.status == "done"]
    return IdeaLinks(idea.id, plans, cases, _suggestion(session, workspace, idea, done), done)


def _suggestion(session: Session, workspace: Workspace, idea: Idea, done: list[str]) -> str | None:
    """The board's first ``completed`` status, when a linked plan is done and the idea is
    still on its way (not merged, not built, not declined)."""
    if not done or idea.merged_into_id is not None:
        return None
    statuses = statuses_of(session, workspace)
    current = next((s for s in statuses if s.id == idea.status_id), None)
    if current is None or current.kind not in ON_ITS_WAY:
        return None
    return next((s.key for s in statuses if s.kind == "completed"), None)


@dataclass(frozen=True)
class LinkedIdea:
    """An idea as the action and case pages list it."""

    id: int
    title: str
    status: str
    status_kind: str
    status_en: str
    status_fr: str
    votes: int


def ideas_linked_to(session: Session, *, action: ActionRow | None = None,
                    case: CaseRow | None = None) -> list[LinkedIdea]:  # fmt: skip
    """The ideas linked to the action or the case, most voted first."""
    if action is not None:
        where = IdeaLink.action_id == action.id
    elif case is not None:
        where = IdeaLink.case_id == case.id
    else:
        return []
    votes = (
        select(func.count())
        .where(IdeaVote.idea_id == Idea.id)
        .correlate(Idea)
        .scalar_subquery()
        .label("votes")
    )
    rows = session.execute(
        select(Idea.id, Idea.title, IdeaStatus, votes)
        .join(IdeaLink, IdeaLink.idea_id == Idea.id)
        .join(IdeaStatus, IdeaStatus.id == Idea.status_id)
        .where(where)
    )
    found = [
        LinkedIdea(i, title, s.key, s.kind, s.name_en, s.name_fr, count or 0)
        for i, title, s, count in rows
    ]
    return sorted(found, key=lambda idea: (-idea.votes, idea.id))


Group = tuple[str, list[tuple[int, str]]]  # a status, and the (id or number, title) in it


@dataclass(frozen=True)
class Choices:
    """What the idea's page offers to link, grouped by status in the statuses' order: the
    workspace's plans (newest first) and its latest cases."""

    plans: list[Group]
    cases: list[Group]


CASE_CHOICES = 200


def _grouped(rows: list[tuple[int, str, str]], order: tuple[str, ...]) -> list[Group]:
    groups: dict[str, list[tuple[int, str]]] = {status: [] for status in order}
    for ident, title, status in rows:
        groups.setdefault(status, []).append((ident, title))
    return [(status, items) for status, items in groups.items() if items]


def choices(session: Session, workspace: Workspace, linked: IdeaLinks) -> Choices:
    """The plans and the latest cases not linked to the idea yet."""
    plan_ids = {p.id for p in linked.plans}
    numbers = {c.number for c in linked.cases}
    plans = session.execute(
        select(ActionRow.id, ActionRow.title, ActionRow.status)
        .where(ActionRow.workspace_id == workspace.id)
        .order_by(ActionRow.id.desc())
    )
    cases = session.execute(
        select(CaseRow.number, CaseRow.subject, CaseRow.status)
        .where(CaseRow.workspace_id == workspace.id)
        .order_by(CaseRow.number.desc())
        .limit(CASE_CHOICES + len(numbers))
    )
    free_plans = [(i, t, s) for i, t, s in plans if i not in plan_ids]
    free_cases = [(n, t, s) for n, t, s in cases if n not in numbers][:CASE_CHOICES]
    return Choices(
        plans=_grouped(free_plans, action_plans.STATUSES),
        cases=_grouped(free_cases, case_service.STATUSES),
    )
