"""Each customer's feedback summed up for the paths and retention (``db.customer_voice``) on
SQLite and PostgreSQL, checked against sums worked out by hand: the last NPS by collection
date (not by storage order), the mean of the items' sentiment, negative topics once per item,
customers without a reference left out, other workspaces ignored."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cxgap.db.customer_voice import CustomerVoice, customer_voice, customer_voices
from cxgap.db.tables import Workspace
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from tests.enrichment_factory import FindingSpec, add_feedback


def _said(
    session: Session,
    workspace: Workspace,
    customer: str | None,
    day: int,
    text: str,
    *,
    nps: int | None = None,
    score: float | None = None,
    findings: tuple[FindingSpec, ...] = (),
) -> None:
    item = add_feedback(session, workspace, text, nps=nps, score=score, findings=findings)
    item.customer_ref = customer
    item.collected_at = datetime(2026, 5, day, tzinfo=UTC)


def test_each_customer_is_summed_up_from_their_items(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        other = create_workspace(session, key="other", name="Other")
        # c-2 stored first; its latest NPS (day 9) is stored before an older one (day 3)
        _said(
            session,
            ws,
            "c-2",
            9,
            "late and rude",
            nps=2,
            score=-0.8,
            findings=(("delivery", -0.7), ("staff", -0.6), ("delivery", -0.5)),
        )
        _said(session, ws, "c-2", 3, "fine", nps=8, score=0.4, findings=(("staff", 0.5),))
        _said(session, ws, "c-2", 5, "late again", score=-0.6, findings=(("delivery", -0.9),))
        _said(session, ws, "c-1", 1, "", nps=10)  # an NPS with no text: no sentiment
        _said(session, ws, "c-3", 2, "late and rude", findings=())  # text shared with c-2
        _said(session, ws, None, 2, "no reference", nps=0, score=-1.0)
        _said(session, other, "c-1", 1, "elsewhere", nps=0, score=-1.0)
    with cx.reading() as session:
        found = customer_voice(session, ws.id)
        streamed = [v.customer for v in customer_voices(session, ws.id)]
    assert sorted(streamed) == streamed == ["c-1", "c-2", "c-3"]
    assert found["c-1"] == CustomerVoice(
        "c-1", 1, 10, datetime(2026, 5, 1, tzinfo=UTC), None, 0, ()
    )
    c2 = found["c-2"]
    assert (c2.items, c2.nps, c2.nps_at) == (3, 2, datetime(2026, 5, 9, tzinfo=UTC))
    assert c2.sentiment_n == 3 and abs(c2.sentiment_mean - (-0.8 + 0.4 - 0.6) / 3) < 1e-9  # type: ignore[operator]
    # delivery: negative in two items (twice in one of them) -> 2; staff negative in one
    assert c2.negative_topics == ("delivery", "staff")
    # the same text as c-2's first item: the shared enrichment gives its sentiment and topics
    c3 = found["c-3"]
    assert (c3.items, c3.nps, c3.sentiment_n, c3.negative_topics) == (
        1, None, 1, ("delivery", "staff"),
    )  # fmt: skip
    assert c2.as_json()["nps_at"] == "2026-05-09T00:00:00+00:00"


def test_a_workspace_without_feedback_has_no_voices(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = create_workspace(session, key="empty", name="Empty")
    with cx.reading() as session:
        assert customer_voice(session, ws.id) == {}
