"""The demo's action plan (issue 13): three actions on its priority pillars. One worked (a new
delivery partner from ``DELIVERY_ACTION_START``: the demo's delivery complaints drop after
it, demo/story.py), one did not (clearer payment e-mails: the payment step's feedback is
the same before and after), one is late (the detractor call-backs, past their due date and
still in progress)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.demo.story import DELIVERY_ACTION_START
from cxgap.services import action_history, action_notes, action_plans

# (title en, title fr, values); the late one's steps and comment follow.
_ACTIONS: tuple[tuple[str, str, dict[str, object]], ...] = (
    (
        "Switch to a delivery partner that books the slot with the customer",
        "Passer à un transporteur qui fixe le créneau avec le client",
        {
            "subject_kind": "pillar", "subject_key": "friction", "team": "care",
            "start_date": DELIVERY_ACTION_START, "due_date": date(2026, 10, 30),
            "status": "done", "metric": "topic_negative_share", "topic": "delivery",
        },
    ),
    (
        "Rewrite the payment confirmation e-mails",
        "Réécrire les e-mails de confirmation de paiement",
        {
            "subject_kind": "pillar", "subject_key": "communication",
            "start_date": date(2026, 8, 17), "due_date": date(2026, 9, 30), "status": "done",
            "metric": "touchpoint_sentiment", "touchpoint": "payment",
        },
    ),
    (
        "Call back every detractor within 48 hours",
        "Rappeler chaque détracteur sous 48 heures",
        {
            "subject_kind": "pillar", "subject_key": "service", "team": "care",
            "start_date": date(2026, 10, 1), "due_date": date(2026, 11, 6),
            "status": "in_progress", "progress": 40, "metric": "nps",
        },
    ),
)  # fmt: skip
_STEPS = {
    "en": (
        ("Write the call script", True), ("Train the care team", True),
        ("Call back weekly", False),
    ),
    "fr": (
        ("Écrire le script d’appel", True), ("Former l’équipe", True),
        ("Rappeler chaque semaine", False),
    ),
}  # fmt: skip
_COMMENT = {
    "en": "Half the detractors of October were called back; the rest wait for the new rota.",
    "fr": "La moitié des détracteurs d’octobre ont été rappelés ; les autres attendent le "
    "nouveau planning.",
}


# When each was planned, started and (for the first two) done: its history, so that the
# report of a past month shows the plan as it stood then (services/action_history.py).
_HISTORY: tuple[tuple[tuple[date, str], ...], ...] = (
    ((date(2026, 8, 17), "not_started"), (DELIVERY_ACTION_START, "in_progress"),
     (date(2026, 10, 27), "done")),
    ((date(2026, 8, 3), "not_started"), (date(2026, 8, 17), "in_progress"),
     (date(2026, 9, 25), "done")),
    ((date(2026, 9, 14), "not_started"), (date(2026, 10, 1), "in_progress")),
)  # fmt: skip


def add_demo_actions(session: Session, *, workspace: Workspace, locale: str = "en") -> int:
    """Plan the demo's three actions (the team ``care`` of the demo cases follows two), with
    the history of their statuses since they were planned."""
    language = "fr" if locale == "fr" else "en"
    made = []
    for (title_en, title_fr, values), history in zip(_ACTIONS, _HISTORY, strict=True):
        title = title_fr if language == "fr" else title_en
        action = action_plans.create_action(
            session, workspace=workspace, values={"title": title, **values}, actor_id=None
        )
        steps = [(datetime.combine(day, time(9), tzinfo=UTC), s) for day, s in history]
        action_history.replace_history(session, action, steps)
        made.append(action)
    late = made[-1]
    start = late.start_date or date(2026, 10, 1)
    for i, (title, done) in enumerate(_STEPS[language]):
        step = action_notes.add_step(
            session, action=late, title=title, due_date=start + timedelta(days=7 * (i + 1))
        )
        if done:
            action_notes.set_step_done(
                session, action=late, step_id=step.id, done=True, actor_id=None
            )
    action_notes.add_comment(session, action=late, body=_COMMENT[language], author_id=None)
    return len(made)


def add_demo_schedule(session: Session, *, workspace: Workspace, locale: str = "en") -> bool:
    """The demo's monthly executive report, sent to its admins in the demo's language: its
    admin members, else the instance's superusers (made admins of the demo, a sandbox).
    With nobody yet (``serve --demo-if-empty`` creates the demo before the first admin), the
    schedule is stored off; ``cxgap serve`` calls this again once the admin exists. Returns
    whether the schedule is on."""
    from sqlalchemy import select

    from cxgap.db.tables import Membership, User
    from cxgap.services.accounts import set_membership
    from cxgap.services.report_schedules import save_schedule

    language = "fr" if locale == "fr" else "en"
    admins = list(
        session.scalars(
            select(User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace.id, Membership.role == "admin")
        )
    )
    if not admins:
        for user in session.scalars(select(User).where(User.is_superuser.is_(True))):
            set_membership(session, workspace=workspace, email=user.email, role="admin")
            admins.append(user.id)
    paper = "a4" if language == "fr" else "letter"
    save_schedule(
        session, workspace, enabled=bool(admins), locale=language, paper=paper,
        recipient_ids=admins,
    )  # fmt: skip
    return bool(admins)
