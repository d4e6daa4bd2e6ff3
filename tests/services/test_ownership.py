"""Owning teams per pillar and touchpoint; worsening alerts once per window; team digests —
on real feedback in SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cxgap.db.tables import OwnershipAlert, Webhook, WebhookDelivery, Workspace
from cxgap.errors import ValidationError
from cxgap.services import ownership, ownership_alerts, ownership_digest
from cxgap.services.core import Cxgap
from cxgap.webhooks import store as webhooks
from tests.ownership_factories import NOW, worsened_workspace


def _workspace(cx: Cxgap) -> None:
    with cx.transaction() as session:
        worsened_workspace(session)


def _acme(session) -> Workspace:  # type: ignore[no-untyped-def]
    return session.scalars(select(Workspace).where(Workspace.key == "acme")).one()


def test_owners_are_set_added_and_removed_by_team(cx: Cxgap) -> None:
    _workspace(cx)
    with cx.transaction() as session:
        acme = _acme(session)
        kw = {"workspace": acme, "kind": "pillar", "key": "digital"}
        assert ownership.add_owners(session, **kw, team_keys=["logistics"]) == ["logistics", "web"]
        assert ownership.set_owners(session, **kw, team_keys=["logistics"]) == ["logistics"]
        assert ownership.remove_owners(session, **kw, team_keys=["logistics"]) == []
        subjects = {(s.kind, s.key): s.teams for s in ownership.owned_subjects(session, acme)}
        assert subjects[("touchpoint", "delivery")] == ("logistics",)
        assert subjects[("touchpoint", "assembly")] == ()
        assert len([s for s in subjects if s[0] == "pillar"]) == 10
        [group] = ownership.stage_groups(session, acme)
        assert [t.key for t in group.touchpoints] == ["delivery", "assembly"]


def test_unknown_subjects_and_teams_are_refused_by_name(cx: Cxgap) -> None:
    _workspace(cx)
    with cx.transaction() as session:
        acme = _acme(session)
        with pytest.raises(ValidationError) as kind:
            ownership.set_owners(session, workspace=acme, kind="shop", key="x", team_keys=[])
        assert kind.value.problems[0].field == "kind" and kind.value.problems[0].value == "shop"
        with pytest.raises(ValidationError) as key:
            ownership.set_owners(
                session, workspace=acme, kind="touchpoint", key="moon", team_keys=[]
            )
        assert (key.value.problems[0].field, key.value.problems[0].value) == ("touchpoint", "moon")
        with pytest.raises(ValidationError) as team:
            ownership.set_owners(
                session, workspace=acme, kind="pillar", key="digital", team_keys=["nobody"]
            )
        assert (team.value.problems[0].field, team.value.problems[0].value) == ("team", "nobody")


def test_a_significant_worsening_is_announced_once_per_window(cx: Cxgap) -> None:
    _workspace(cx)
    with cx.transaction() as session:
        session.add(
            Webhook(
                workspace_id=_acme(session).id,
                url="https://hooks.example.com/cx",
                events=["ownership.worsened"],
                secret="s",
            )
        )
        found = ownership_alerts.prepare_alerts(session, now=NOW)
    assert found.tested == 2
    assert found.announced == [("acme", "touchpoint", "delivery")]
    assert sorted((letter.to, letter.locale) for letter in found.letters) == [
        ("lea@example.com", "fr"),
        ("sam@example.com", "en"),
    ]
    french = next(letter for letter in found.letters if letter.locale == "fr")
    assert french.subject == "Livraison se dégrade (Acme)"
    assert "du 26 novembre 2026 au 2 décembre 2026" in french.text
    assert "Verbatims négatifs" in french.text and "Principal irritant : Livraison." in french.text
    # The verbatim behind it, contact details masked.
    assert "« The delivery took three weeks, call me on [email] »" in french.text
    assert "jane.doe" not in french.text + french.html
    with cx.reading() as session:
        [alert] = session.scalars(select(OwnershipAlert)).all()
        assert (alert.subject_key, alert.recipients) == ("delivery", 2)
        assert alert.window_end == NOW.replace(hour=0)
        assert {m["measure"] for m in alert.figures if m["significant"]} >= {"negative_share"}
        [delivery] = session.scalars(select(WebhookDelivery)).all()
        assert delivery.event == "ownership.worsened"
        payload = delivery.payload
        assert payload["data"]["subject"] == {
            "kind": "touchpoint",
            "key": "delivery",
            "name": "Delivery",
        }
        assert "three weeks" not in str(payload)  # figures only, never verbatims
    with cx.transaction() as session:
        again = ownership_alerts.prepare_alerts(session, now=NOW + timedelta(days=3))
    assert again.announced == [] and again.letters == []
    with cx.transaction() as session:
        later = ownership_alerts.prepare_alerts(session, now=NOW + timedelta(days=40))
    assert later.announced == []  # 40 days on, nothing collected: not enough data to test


def test_the_digest_shows_each_owned_subject_week_on_week(cx: Cxgap) -> None:
    _workspace(cx)
    with cx.reading() as session:
        acme = _acme(session)
        digest = ownership_digest.team_digest(
            session, workspace=acme, team_key="logistics", now=NOW
        )
        [row] = digest.rows("en")
        assert row["name"] == "Delivery" and row["worsened"] is True
        assert row["irritant"] == "Delivery"
        assert digest.period("en")["before_start"] == "19 November 2026"
        web = ownership_digest.team_digest(session, workspace=acme, team_key="web", now=NOW)
        [site] = web.rows("fr")
        assert (
            site["name"] == "Expériences numériques dans lesquelles ils interagissent ou observent"
        )
        assert site["worsened"] is False
        letters = ownership_digest.digest_letters(session, now=NOW)
    assert sorted(letter.to for letter in letters) == [
        "ana@example.com",
        "lea@example.com",
        "sam@example.com",
    ]


def test_webhook_event_is_known() -> None:
    assert "ownership.worsened" in webhooks.EVENTS
