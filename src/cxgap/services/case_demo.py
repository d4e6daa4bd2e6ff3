"""The demo's cases: a rule on detractors, a team, and a few cases opened from detractors'
verbatims with a history — one breached, one pending the customer, one closed, one new.
The closed one was sent the recovery survey and answered it (4 of 5, a comment): the case
page shows the survey and its answer, and Listening holds the answer (channel ``recovery``).

Three of them come from trade customers, on accounts of the demo's service menu
(``demo/service_levels.py``), so their tier's policies time them, the Credits page counts
them (the breached one owes its Premium account a credit this month) and compliance is split
by tier; the fourth is a retail customer, on the default policy."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRow, Feedback, Workspace, utcnow
from cxgap.services import case_recovery, case_rules, cases, recovery_answers, teams
from cxgap.services.case_rules import RuleInput

REPLIES = {
    "en": (
        "We are sorry. A replacement leaves our warehouse today.",
        "Could you send us a photo of the damaged part?",
        "The refund has been made; thank you for your patience.",
    ),
    "fr": (
        "Nous sommes désolés. Un remplacement part de notre entrepôt aujourd’hui.",
        "Pourriez-vous nous envoyer une photo de la pièce abîmée ?",
        "Le remboursement est fait ; merci de votre patience.",
    ),
}
# (hours ago it was opened, the account, what happened: minutes after opening -> action)
_STORIES: tuple[tuple[int, str | None, tuple[tuple[int, str], ...]], ...] = (
    (50, "hotel-du-parc", ()),  # nobody answered: breached
    (26, "studio-lumen", ((45, "reply:1"), (50, "status:pending_customer"))),
    (
        120,
        "groupe-horizon",
        ((30, "reply:0"), (24 * 60, "reply:2"), (24 * 60 + 5, "status:closed")),
    ),
    (1, None, ()),
)
RECOVERY_STORY = 2  # the closed case
RECOVERY_EMAIL = "achats@groupe-horizon.example"
RECOVERY_COMMENT = {
    "en": "Sorted out quickly once I had someone on the line. Thank you.",
    "fr": "Réglé rapidement une fois quelqu’un au bout du fil. Merci.",
}


def add_demo_cases(session: Session, *, workspace: Workspace, locale: str = "en") -> int:
    """Open the demo's cases from its newest detractors; returns how many were opened."""
    teams.create_team(session, workspace=workspace, key="care", name="Customer care")
    rule = case_rules.save_rule(
        session,
        workspace=workspace,
        rule=RuleInput("Detractors", {"nps_max": 6}, priority="high", team_key="care"),
    )
    detractors = session.scalars(
        select(Feedback.id)
        .where(Feedback.workspace_id == workspace.id, Feedback.nps <= 3, Feedback.text != "")
        .order_by(Feedback.collected_at.desc(), Feedback.id)
        .limit(len(_STORIES))
    ).all()
    replies = REPLIES["fr" if locale == "fr" else "en"]
    now = utcnow()
    stories = enumerate(zip(detractors, _STORIES, strict=False))
    for position, (feedback_id, (hours_ago, account, story)) in stories:
        opened = now - timedelta(hours=hours_ago)
        case, _ = cases.open_case(
            session, workspace=workspace, feedback_id=feedback_id, priority=rule.priority,
            rule_id=rule.id, team_id=rule.team_id, at=opened, account=account,
        )  # fmt: skip
        for minutes, action in story:
            at = opened + timedelta(minutes=minutes)
            verb, _, value = action.partition(":")
            if verb == "reply":
                cases.reply(session, case=case, body=replies[int(value)], actor_id=None, at=at)
            else:
                cases.set_status(session, case=case, status=value, actor_id=None, at=at)
        if position == RECOVERY_STORY:
            closed = opened + timedelta(minutes=story[-1][0])
            _answered_recovery(session, case, "fr" if locale == "fr" else "en", closed)
    return len(detractors)


def _answered_recovery(session: Session, case: CaseRow, language: str, closed: datetime) -> None:
    """The survey asked a minute after closing, sent, and answered three hours later. The
    link's secret is thrown away: the demo's answer is stored here, nobody follows it."""
    secret = secrets.token_hex(16)
    recovery, token = case_recovery.request_recovery(
        session, case=case, secret=secret, email=RECOVERY_EMAIL, language=language,
        at=closed + timedelta(minutes=1),
    )  # fmt: skip
    case_recovery.record_delivery(
        session, recovery_id=recovery.id, at=closed + timedelta(minutes=2)
    )
    recovery_answers.answer_recovery(
        session, token=token, score="4", comment=RECOVERY_COMMENT[language],
        client_ip="demo", secret=secret, rate_limit=1_000, now=closed + timedelta(hours=3),
    )  # fmt: skip
