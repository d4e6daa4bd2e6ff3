"""The action gap wired through (issue 13), on the enriched demo, SQLite and PostgreSQL: an
action's page shows its measured impact named by the topic's name, the REST API gives it,
the three gaps page shows each pillar's and irritant's action status with its links, and the
executive report's JSON carries the action gap."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import ActionRow
from cxgap.services import action_plans, api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace, segments_of
from tests.enrichment_factory import enrich_demo
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import log_in


def _demo(cx: Cxgap) -> tuple[list[int], int, str, int]:
    """The enriched demo, an analyst, a viewer, an action with no target, one started three
    weeks before the demo's last day; the demo's action ids, the untargeted one's, a viewer's
    API token and the recent one's id."""
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        enrich_demo(session, demo)
        make_user(session, "ana@example.com", workspace=demo, role="analyst")
        make_user(session, "vic@example.com", workspace=demo, role="viewer")
        make_user(session, "adam@example.com", workspace=demo, role="admin")
        ids = list(session.scalars(select(ActionRow.id).order_by(ActionRow.id)))
        bare = action_plans.create_action(
            session, workspace=demo, actor_id=None,
            values={"title": "Tidy the FAQ", "status": "in_progress",
                    "start_date": date(2026, 10, 1)},
        )  # fmt: skip
        recent = action_plans.create_action(
            session, workspace=demo, actor_id=None,
            values={"title": "Answer the chat within a minute", "status": "in_progress",
                    "start_date": date(2026, 10, 26), "metric": "nps"},
        )  # fmt: skip
        adam = principal_of(next(m.user for m in demo.memberships if m.role == "admin"))
        token = api_tokens.create_workspace_token(
            session, workspace=demo, principal=adam, name="bi", role="viewer"
        )
    return ids, bare.id, token, recent.id


def _prepared(cx: Cxgap, prepared: Prepared) -> tuple[list[int], int, str, int]:
    return prepared.prepare(cx, "action-impact-pages", _demo)


def test_pages_show_the_impact_and_the_action_gap(
    cx: Cxgap, client: TestClient, prepared: Prepared
) -> None:
    (worked, did_not, late), bare, token, _ = _prepared(cx, prepared)
    log_in(client, "ana@example.com")
    page = client.get(f"/w/demo/actions/{worked}?lang=en").text
    assert 'data-moved="better"' in page
    assert "Share of negative mentions of Delivery, per month; action from 2026-09-01" in page
    assert "<svg" in page and "impact-estimates" in page
    payment = client.get(f"/w/demo/actions/{did_not}?lang=fr").text
    assert 'data-moved="no_change"' in payment and "Comparé à" in payment
    none = client.get(f"/w/demo/actions/{bare}?lang=en").text
    assert "has no target metric" in none and f"/w/demo/actions/{bare}/edit" in none

    gaps = client.get("/w/demo/gaps?lang=en").text

    def status(attribute: str) -> str:
        row = gaps.split(attribute)[1].split("</tr>")[0]
        return row.split('data-action-status="')[1].split('"')[0]

    assert status('data-pillar="friction"') == "working"
    assert status('data-pillar="communication"') == "not_working"
    assert status('data-pillar="service"') == "late"
    assert status('data-pillar="products"') == "no_action"
    assert 'href="/w/demo/actions/new?pillar=products"' in gaps  # "Plan an action"
    assert status('data-topic="delivery"') == "working"
    assert 'href="/w/demo/actions?kind=topic&amp;subject=delivery"' in gaps
    assert gaps.count("data-topic=") == 5
    # The link lists the actions tied to that pillar only.
    listed = client.get("/w/demo/actions?kind=pillar&subject=friction").text
    assert f"/w/demo/actions/{worked}" in listed and f"/w/demo/actions/{late}" not in listed
    log_in(client, "vic@example.com")  # viewers read the statuses, without "Plan an action"
    assert "/actions/new?" not in client.get("/w/demo/gaps").text

    headers = {"authorization": f"Bearer {token}"}
    measured = client.get(f"/api/v1/workspaces/demo/actions/{worked}/impact", headers=headers)
    assert measured.status_code == 200
    body = measured.json()
    assert body["moved"] == "better" and body["impact"]["method"] == "before_after"
    assert body["impact"]["p_level"] < 0.05 and body["target"]["topic"] == "delivery"
    empty = client.get(f"/api/v1/workspaces/demo/actions/{bare}/impact", headers=headers).json()
    assert empty["moved"] == "not_enough_data" and "no target metric" in empty["reason"]["en"]
    report = client.get(
        "/api/v1/workspaces/demo/reports/executive?period=2026-11&format=json", headers=headers
    ).json()
    action = {g["pillar"]: g["action"] for g in report["gaps"]}
    assert action["friction"]["status"] == "working" and action["friction"]["moved"] == "better"
    assert action["service"]["status"] == "late" and action["service"]["late"] == 1
    assert {a["subject"] for a in report["actions"] if a["kind"] == "topic"} >= {"delivery"}


def test_the_impact_per_week_or_per_month(
    cx: Cxgap, client: TestClient, prepared: Prepared
) -> None:
    (worked, _, _), _, token, recent = _prepared(cx, prepared)
    log_in(client, "vic@example.com")
    # Months by default when they carry a test; the switch offers weeks.
    page = client.get(f"/w/demo/actions/{worked}?lang=en").text
    assert "Share of negative mentions of Delivery, per month" in page
    assert 'aria-current="true" data-grain="month"' in page
    assert 'href="?grain=week#impact" data-grain="week"' in page
    weekly = client.get(f"/w/demo/actions/{worked}?lang=fr&grain=week").text
    assert "par semaine" in weekly and 'aria-current="true" data-grain="week"' in weekly
    # Started three weeks before the demo's last day: one month after it, three weeks.
    young = client.get(f"/w/demo/actions/{recent}?lang=en").text
    assert "NPS, per week; action from 2026-10-26" in young
    bad = client.get(f"/w/demo/actions/{worked}?lang=fr&grain=year")
    assert bad.status_code == 422
    assert (
        "champ « grain » : doit valoir week (semaine) ou month (mois) (valeur « year »)" in bad.text
    )

    headers = {"authorization": f"Bearer {token}"}
    url = "/api/v1/workspaces/demo/actions/{}/impact"
    month = client.get(url.format(worked), headers=headers).json()
    week = client.get(url.format(worked) + "?grain=week", headers=headers).json()
    assert month["period"] == "month" and week["period"] == "week"
    assert all(date.fromisoformat(p["period"]).day == 1 for p in month["series"])
    assert all(date.fromisoformat(p["period"]).weekday() == 0 for p in week["series"])
    assert len(week["series"]) >= 3 * len(month["series"])
    assert sum(p["n"] for p in week["series"]) == sum(p["n"] for p in month["series"])
    young_api = client.get(url.format(recent), headers=headers).json()
    assert young_api["period"] == "week" and young_api["impact"]["n_after"] == 3
    assert young_api["impact"]["method"] == "segmented_regression"
    assert young_api["impact"]["p_level"] is not None
    months = client.get(url.format(recent) + "?grain=month", headers=headers).json()
    assert months["impact"]["n_after"] == 1 and months["moved"] == "not_enough_data"
    refused = client.get(url.format(worked) + "?grain=year", headers=headers)
    assert refused.status_code in (400, 422) and "grain" in refused.text


def test_touchpoints_drivers_personas_and_segments_have_their_action_gap(
    cx: Cxgap, client: TestClient, prepared: Prepared
) -> None:
    _, _, token, _ = _prepared(cx, prepared)
    with cx.transaction() as session:  # a late action on a segment, planned today
        demo = get_workspace(session, "demo")
        segment = segments_of(session, demo)[0]
        action_plans.create_action(
            session, workspace=demo, actor_id=None,
            values={"title": "Call the pros back", "subject_kind": "segment",
                    "subject_key": segment.key, "status": "in_progress",
                    "due_date": date(2026, 11, 1)},
        )  # fmt: skip
    log_in(client, "ana@example.com")
    section = client.get("/w/demo/gaps?lang=en").text.split('id="subject-gaps"')[1]

    def row(subject: str) -> str:
        return section.split(f'data-subject="{subject}"')[1].split("</tr>")[0]

    # The three worst touchpoints, the worst first; the payment e-mails did not work.
    assert section.count('data-why="worst_sentiment"') == 3
    assert section.index('"touchpoint:payment"') < section.index('"touchpoint:order"')
    assert 'data-action-status="not_working"' in row("touchpoint:payment")
    assert 'href="/w/demo/actions?kind=touchpoint&amp;subject=payment"' in row("touchpoint:payment")
    assert 'href="/w/demo/actions/new?touchpoint=order"' in row("touchpoint:order")
    # The key drivers that lower the score, each with a way to plan an action on its topic.
    drivers = [part.split('"')[0] for part in section.split('data-subject="driver:')[1:]]
    assert 1 <= len(drivers) <= 3
    assert f'/w/demo/actions/new?topic={drivers[0]}"' in row(f"driver:{drivers[0]}")
    assert "Lowers the score (" in row(f"driver:{drivers[0]}")
    # A subject only an action makes relevant.
    segment_row = row(f"segment:{segment.key}")
    assert 'data-why="has_actions"' in segment_row and 'data-action-status="late"' in segment_row
    fr = client.get("/w/demo/gaps?lang=fr").text
    assert (
        "Points de contact, leviers, personas et segments" in fr
        and "Sentiment le plus bas (−0," in fr
    )

    # The executive report: "gaps" per pillar as before, "other_gaps" beside it, as of the
    # period's end (the segment's action did not exist in November).
    headers = {"authorization": f"Bearer {token}"}
    report = client.get(
        "/api/v1/workspaces/demo/reports/executive?period=2026-11&format=json", headers=headers
    ).json()
    assert all(set(g) == {"pillar", "name_en", "name_fr", "priority", "knowledge", "desire",
                          "action"} for g in report["gaps"])  # fmt: skip
    other = {f"{g['kind']}:{g['subject']}": g for g in report["other_gaps"]}
    assert other["touchpoint:payment"]["why"] == "worst_sentiment"
    assert other["touchpoint:payment"]["actions"] == 1
    assert other["touchpoint:payment"]["name_en"] == "Pays, possibly in instalments"
    assert f"segment:{segment.key}" not in other
    html = client.get(
        "/api/v1/workspaces/demo/reports/executive?period=2026-11&format=html&lang=fr",
        headers=headers,
    ).text
    assert "Point de contact" in html and "Levier" in html
